// Starts Swagger UI on /openapi.json. A file rather than an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // The default validator badge calls validator.swagger.io: nothing may leave this machine.
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
