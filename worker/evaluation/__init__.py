"""Evaluation of the worker pipeline against gold corpora."""
