"""Walk the real window through every screen, one after another.

Shared by tools/screenshots.py (the README's images) and the contrast and layout tests
(tests/ui/test_contrast.py), so what is measured is what is shown. Each stop is a `Stop`: its
name and the top-level widget that shows it (the window).

The walk needs a window whose practices include the bundled "unblending" (or any practice with
a listening step, a waiting step and a body map step) and a grounding practice; with no sound
device it runs on the text pacing at its real rate, so the times shown are the ones a person
sees; the walk moves the practice itself, and a waiting step holds whatever the time.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterator

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

SCREENS = ("library", "editor", "about", "body", "progress", "parts", "parts-map", "settings",
           "help", "check-in", "player", "listening", "waiting", "body-map", "grounding",
           "check-out", "done")


@dataclass(frozen=True)
class Stop:
    name: str
    top: QWidget                     # what to grab: the window, or a dialog over it


def tour(window, settle: Callable[[], None], practice_id: str = "unblending",
         only: tuple[str, ...] = SCREENS, voices_within: int = 0) -> Iterator[Stop]:
    """Show each screen in turn (the ones in `only`); `settle` lets the journal's reads land.
    `voices_within`: settle up to this many times more for Settings to list the voices (a
    helper process asks every engine)."""
    def stop(name: str, top: QWidget | None = None) -> Iterator[Stop]:
        if name in only:
            settle()
            yield Stop(name, top or window)

    window.show_page("practices")
    yield from stop("library")
    if "editor" in only:
        yield from _editor(window, stop)
    if "about" in only:
        window.show_about()
        yield from stop("about")
    for key in ("body", "progress", "parts", "settings", "help"):
        if key in only and key in window._page_factories:
            window.show_page(key)
            _wait_for(window.pages[key], key, settle, voices_within)
            yield from stop(key)
        if key == "parts" and "parts-map" in only:
            yield from _parts_map(window, stop)
    window.show_page("practices")
    if not set(only) & set(SCREENS[SCREENS.index("check-in"):]):
        return
    yield from _session(window, settle, practice_id, stop)


def _editor(window, stop) -> Iterator[Stop]:
    """The practice editor on a new practice, its first step with a problem to fix."""
    yours = window.your_practices()
    yours.new()
    page = yours.editor
    page.form.title.setText("An evening rest")
    page.draft.set_title("An evening rest")
    page.step_editor.title.setText("Arrive")
    page.draft.set_step(0, "title", "Arrive")
    page.form.summary.setText("A few quiet minutes before sleep.")
    page.draft.set_practice("summary", "A few quiet minutes before sleep.")
    page.step_editor.say.setPlainText("Let yourself settle. [pause x] Notice your breath.")
    page.run_check()
    page.show_whole(page.step_editor.say)    # the step, and what is said about its words
    yield from stop("editor")
    page.draft.dirty = False                 # a walk leaves nothing to ask about
    yours.close_editor()


def _wait_for(page, key: str, settle, voices_within: int) -> None:
    """Progress gathers its numbers on a worker (settle up to 5 s); Parts reads its list, then
    the chosen part's page (a second read, asked when the first lands); Settings lists the
    voices in a helper process (only when asked: it may take seconds)."""
    tries = {"progress": 100, "parts": 100, "settings": voices_within}.get(key, 0)
    for n in range(tries):
        if key == "progress" and page.stack.currentWidget() is not page.loading:
            return
        if key == "parts" and (page.page.part is not None or (n and not page.list.count())):
            return
        if key == "settings" and page.voice.ids():
            return
        settle()
        if key == "progress":
            QTest.qWait(50)


def _parts_map(window, stop) -> Iterator[Stop]:
    window.show_page("parts")
    tabs = window.pages["parts"].tabs
    tabs.setCurrentIndex(tabs.count() - 1)           # the map of how parts relate
    yield from stop("parts-map")
    tabs.setCurrentIndex(0)


def _session(window, settle, practice_id: str, stop) -> Iterator[Stop]:
    from app.core.session import State
    practice = window.context.practice(practice_id)
    window.start_practice(practice)
    session = window.session
    session.audio.cancel()
    runner = session.runner
    yield from stop("check-in")
    session.checkin.go.click()
    body_step = next((i for i, s in enumerate(practice.steps) if s.ask_body), 0)
    runner.go_to(body_step)
    yield from stop("player")
    listening = next((i for i, s in enumerate(practice.steps) if len(s.segments) > 1), None)
    if listening is not None:
        runner.go_to(listening)
        runner.audio_finished()                  # the first segment said: time to listen
        yield from stop("listening")
    waiting = next((i for i, s in enumerate(practice.steps) if s.wait), None)
    if waiting is not None:
        runner.go_to(waiting)
        _reach(runner, State.WAITING)
        yield from stop("waiting")
    runner.go_to(body_step)
    yield from _body_map(window, session, settle, stop)
    session.ground()
    yield from stop("grounding")
    session.grounding_view.back.click()
    while runner.state is not State.CHECK_OUT:
        runner.next_step()
    yield from stop("check-out")
    session.checkout.go.click()
    yield from stop("done")
    session.done.back.click()


def _reach(runner, state) -> None:
    """Go through the step's segments until the runner is in `state`."""
    from app.core.session import State
    for _ in range(20):
        if runner.state is state:
            return
        if runner.state is State.PLAYING:
            runner.audio_finished()
        elif runner.state is State.SILENCE:
            runner.continue_on()
        else:
            return


def _body_map(window, session, settle, stop) -> Iterator[Stop]:
    """The body map, a page of the practice, with a rated and an unrated mark saved and the
    next one open."""
    session.open_body_map()
    if session.body_page is None or not session.body_page.isVisible():
        return
    settle()
    body_map = session.body_page.map
    body_map.open_region("front", "heart-area")
    body_map.panel.set_strength(6)
    body_map.save()
    body_map.open_region("front", "throat")           # a place only: its strength not rated
    body_map.save()
    settle()
    body_map.open_region("front", "solar-plexus")
    yield from stop("body-map")
    body_map.cancel()
    session.close_body_map()
