"""Settings: voice, pace, volume, quiet time, theme, streaks, and the person's data."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QProgressBar,
    QSpinBox, QWidget,
)

from app.core.preferences import Preferences
from app.qt.guidance_audio import GuidanceAudio, Job, VoicePreview
from app.qt.tasks import run_in_background
from app.ui.context import AppContext
from app.ui.settings.data import DataSettings
from app.ui.settings.help import HelpSettings
from app.ui.settings.speech_space import SpeechSpace
from app.ui.settings.voice import VoiceList, voice_options
from app.ui.common.scale import FocusWheelSlider
from app.ui.common.widgets import button, card, label, page_layout

PREPARING = "Preparing the voice…"
PREPARING_COUNT = "Preparing the voice: {done} of {total} practices"
PREPARING_SAMPLE = "Preparing a short sample of the voice…"
STOPPED = ("Stopped. The steps already prepared are kept; the rest are prepared when a "
           "practice needs them.")


class SettingsView(QWidget):
    theme_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        prefs = context.preferences
        self._shown_for_saved: str | None = None   # the radio showing the saved voice
        layout = page_layout(self, "Settings", scroll=True, form=True)

        frame, box = card()
        box.addWidget(label("The voice", "subtitle"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)   # narrow: label above
        self.voice = VoiceList()
        self.rate = QSpinBox()
        self.rate.setAccessibleName("Speaking rate in words per minute")
        self.rate.setRange(80, 220)
        self.rate.setSingleStep(5)
        self.rate.setSuffix(" words per minute")
        self.rate.setValue(prefs.rate)
        self.volume = FocusWheelSlider()
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setValue(int(prefs.volume * 100))
        self.silence = QDoubleSpinBox()
        self.silence.setAccessibleName("Length of the quiet after each step")
        self.silence.setRange(0.25, 3.0)
        self.silence.setSingleStep(0.25)
        self.silence.setSuffix(" × the quiet written in each practice")
        self.silence.setValue(prefs.silence_multiplier)
        self.listen_pace = button("Listen", "Listen to this pace",
                                  tip="Hear the chosen voice at this pace")
        pace_row = QHBoxLayout()
        pace_row.addWidget(self.rate, 1)
        pace_row.addWidget(self.listen_pace)
        form.addRow("Voice", self.voice)
        form.addRow("Pace", pace_row)
        form.addRow("Volume", self.volume)
        form.addRow("Quiet after each step", self.silence)
        box.addLayout(form)
        self.render_status = label("", "muted")
        self.render_bar = QProgressBar()
        self.render_bar.setAccessibleName("Preparing the voice")
        self.render_bar.setVisible(False)
        self.render_stop = button("Stop", "Stop preparing the voice")
        self.render_stop.setVisible(False)
        self.render_stop.clicked.connect(self._stop_render)
        render_row = QHBoxLayout()
        render_row.addWidget(self.render_bar, 1)
        render_row.addWidget(self.render_stop)
        box.addWidget(self.render_status)
        box.addLayout(render_row)
        self.speech_space = SpeechSpace(context)
        box.addWidget(self.speech_space)
        layout.addWidget(frame)

        frame, box = card()
        box.addWidget(label("Looks and habits", "subtitle"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)   # narrow: label above
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItem("Light", "light")
        self.theme.addItem("Dark", "dark")
        self.theme.setCurrentIndex(0 if prefs.theme == "light" else 1)
        self.streaks = QCheckBox("Show a streak of practice days in Progress")
        self.streaks.setAccessibleName("Show streaks")
        self.streaks.setChecked(prefs.show_streaks)
        self.voice_while_marking = QCheckBox("Keep the voice going while I mark the body map")
        self.voice_while_marking.setAccessibleName("Keep the voice going while marking the "
                                                   "body map")
        self.voice_while_marking.setChecked(prefs.voice_during_body_map)
        form.addRow("Theme", self.theme)
        form.addRow("", self.streaks)
        form.addRow("", self.voice_while_marking)
        box.addLayout(form)
        box.addWidget(label("Streaks are off unless you want them: there is no need to practise "
                            "every day.", "muted"))
        layout.addWidget(frame)
        self.data = DataSettings(context)
        self.data.data_deleted.connect(self._reset_after_delete)
        layout.addWidget(self.data)
        self.help = HelpSettings()
        layout.addWidget(self.help)
        layout.addStretch(1)

        self.audio = GuidanceAudio(prefs, parent=self)
        self.audio.progress.connect(self._on_render_progress)
        self.audio.practices_ready.connect(self._on_practices_ready)
        self.audio.failed.connect(self.render_status.setText)
        self.audio.notice.connect(self.render_status.setText)
        self.preview = VoicePreview(lambda: self.context.player, parent=self)
        self.preview.preparing.connect(lambda _v: self.render_status.setText(PREPARING_SAMPLE))
        self.preview.playing.connect(lambda _v: self._clear_status(PREPARING_SAMPLE))
        self.preview.failed.connect(self.render_status.setText)
        self.voice.listen.connect(lambda voice: self.preview.listen(voice, self.rate.value()))
        self.listen_pace.clicked.connect(
            lambda: self.preview.listen(self.voice.current(), self.rate.value()))
        self.rate.editingFinished.connect(self._voice_changed)
        self.voice.chosen.connect(lambda _voice: self._voice_changed())
        self.voice.kept_on_close.connect(lambda _voice: self._voice_changed(prepare=False))
        self.volume.valueChanged.connect(lambda v: self._save(volume=v / 100))
        self.silence.valueChanged.connect(lambda v: self._save(silence_multiplier=v))
        self.streaks.toggled.connect(lambda on: self._save(show_streaks=on))
        self.voice_while_marking.toggled.connect(
            lambda on: self._save(voice_during_body_map=on))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self._load_voices()

    def _save(self, **changes) -> Preferences:
        self.context.update_preferences(replace(self.context.preferences, **changes))
        return self.context.preferences

    def _reset_after_delete(self) -> None:
        """Everything personal is gone, preferences included: show the defaults again."""
        self.context.preferences = Preferences()
        for widget in (self.rate, self.volume, self.silence, self.theme, self.streaks,
                       self.voice_while_marking):
            widget.blockSignals(True)
        self.rate.setValue(Preferences.rate)
        self.volume.setValue(int(Preferences.volume * 100))
        self.silence.setValue(Preferences.silence_multiplier)
        self.theme.setCurrentIndex(0)
        self.streaks.setChecked(False)
        self.voice_while_marking.setChecked(False)
        from app.speech.voices import effective_voice
        self._show_voice(effective_voice(None))
        for widget in (self.rate, self.volume, self.silence, self.theme, self.streaks,
                       self.voice_while_marking):
            widget.blockSignals(False)
        self.theme_changed.emit()

    def _theme_changed(self) -> None:
        self._save(theme=self.theme.currentData())
        self.theme_changed.emit()

    def _load_voices(self) -> None:
        from app.speech.voices import NATURAL_VOICE, STANDARD_VOICE, effective_voice

        def found(voices) -> None:
            self.voice.set_options(voice_options(voices, NATURAL_VOICE, STANDARD_VOICE),
                                   None)
            self._show_voice(effective_voice(self.context.preferences.voice))

        preferences = self.context.preferences

        def list_voices():
            # Every installed engine's voices, asked in one helper process (espeak and Piper
            # start there, never on a thread of this window).
            from app.qt.guidance_audio import render_settings
            from app.speech.isolated import list_all_voices
            voices, _unavailable = list_all_voices(render_settings(preferences).engine)
            return [v for v in voices if v.language.startswith("en")]

        run_in_background(list_voices, on_done=found,
                          on_error=lambda exc: self.render_status.setText(
                              f"Voices could not be listed: {exc}"), owner=self)

    def _show_voice(self, voice: str) -> None:
        """The voice in use, shown chosen: with no choice made yet and no natural voice
        installed, that is the standard voice (what the fallback speaks with)."""
        from app.speech.voices import STANDARD_VOICE
        shown = voice if voice in self.voice.ids() else STANDARD_VOICE
        self.voice.select(shown)
        # The saved voice stands behind this radio, however it is written ("espeak:" by older
        # versions, a voice since uninstalled, no choice yet): only another radio is a choice.
        self._shown_for_saved = shown if shown in self.voice.ids() else None

    def _clear_status(self, text: str) -> None:
        if self.render_status.text() == text:
            self.render_status.setText("")

    def _voice_changed(self, prepare: bool = True) -> None:
        """A voice radio was chosen, or the pace was left (Tab, Enter): save and prepare only
        what the person changed. Leaving the pace by Tab is "editing finished" too, so
        passing through the page must find nothing to do. `prepare=False`: the window is
        closing, so the choice is kept but not prepared (the exit would only stop it; a
        practice prepares its own steps when it needs them)."""
        prefs = self.context.preferences
        chosen = self.voice.current()
        # Only a voice the person picked is saved: the radio that shows the saved voice stands
        # for it as saved (changing the pace alone keeps "no choice yet", so the natural voice
        # still becomes the default once it is installed; "espeak:" stays "espeak:").
        voice = prefs.voice if chosen in (None, self._shown_for_saved) else chosen
        if (self.rate.value(), voice) == (prefs.rate, prefs.voice):
            return                                   # nothing changed: nothing is written
        new = self._save(rate=self.rate.value(), voice=voice)
        self._shown_for_saved = chosen
        if not prepare:
            return
        # Re-render every practice in the background with the new voice settings; the app
        # keeps working meanwhile, and sessions started now render their own steps first.
        self.audio.preferences = new
        self.render_status.setText(PREPARING)
        self.audio.prepare(self.context.practices, Job(background=True))

    def _stop_render(self) -> None:
        """The render stops within a sentence or two; finished steps are kept."""
        self.audio.cancel()
        self.render_status.setText(STOPPED)
        self._on_render_progress(None)

    def _preparing(self) -> bool:
        text = self.render_status.text()
        return text == PREPARING or text.startswith(PREPARING_COUNT.partition(":")[0] + ":")

    def _on_practices_ready(self, done: int, total: int) -> None:
        """A quiet line: how many practices already speak with the new voice."""
        if self._preparing():
            self.render_status.setText(PREPARING_COUNT.format(done=done, total=total))

    def _on_render_progress(self, fraction) -> None:
        finished = fraction is None and self.render_bar.isVisibleTo(self)
        self.render_bar.setVisible(fraction is not None)
        self.render_stop.setVisible(fraction is not None)
        if fraction is None:
            # Only "preparing" turns into "ready": a failure, a fallback notice or "Stopped" stays.
            if self._preparing():
                self.render_status.setText("The voice is ready.")
            if finished and self.speech_space.isVisible():
                # the space figure counted the speech before it was prepared (or stopped)
                self.speech_space.refresh()
        else:
            self.render_bar.setValue(int(fraction * 100))
