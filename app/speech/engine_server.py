"""Imported first by the server the render workers fork from (isolated.worker_context), and
by nothing else: its whole purpose is what importing it does to that process.

The server then imports the engines (onnxruntime writes a session file into TMPDIR the moment
it is imported), so before that: owner-only files, and temporary files inside the data folder.
"""
from app.speech.isolated import prepare_engine_process

prepare_engine_process()
