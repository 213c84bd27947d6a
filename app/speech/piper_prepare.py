"""Imported by the server the render workers fork from when the natural voice is in use
(isolated.worker_context), and by nothing else: importing it splits the installed voice models
for windowed decoding (piper_split), once, before any worker forks - at idle after start-up
(isolated.start_workers_early), not while a first sentence is awaited."""
from app.speech.piper_engine import prepare_voices

prepare_voices()
