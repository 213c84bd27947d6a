"""Gentle starting points for naming a part. Pure data, no Qt.

Drawn from the ideas in the seed articles on IFS and attachment (protectors that manage
closeness or distance, the young parts they look after, the push-pull between them), written
in our own words. Every sentence is tentative on purpose: a template is an offer, and the
person's own part will differ. Region ids come from resources/body/regions.json.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core.records import Part


@dataclass(frozen=True)
class PartTemplate:
    key: str
    name: str
    role: str
    summary: str                     # one line for the chooser
    does: str
    fears: str
    wants: str
    where_felt: tuple[str, ...] = ()
    often_with: tuple[str, ...] = ()  # template keys it often pulls against or guards

    def to_part(self, colour: str = "") -> Part:
        """A new, unsaved part pre-filled from this template, ready for the person to change."""
        return Part(name=self.name, role=self.role, does=self.does, fears=self.fears,
                    wants=self.wants, where_felt=",".join(self.where_felt), colour=colour)


TEMPLATES: tuple[PartTemplate, ...] = (
    PartTemplate(
        key="fears-being-left", name="The one who fears being left", role="manager",
        summary="Reaches for closeness and reassurance whenever someone seems far away.",
        does="Keeps an eye on how close people are. When a reply is slow or a face looks "
             "distant, it reaches out, asks again, holds on a little tighter.",
        fears="That the people who matter will drift away, and that you will end up "
              "alone with nobody coming back.",
        wants="For you to feel that you belong somewhere, held in closeness that lasts.",
        where_felt=("heart-area", "throat", "solar-plexus"),
        often_with=("keeps-distance", "young-one")),
    PartTemplate(
        key="keeps-distance", name="The one who keeps distance", role="manager",
        summary="Steps back from closeness, so that nothing can hurt too much.",
        does="Goes quiet or busy when things get close. It plays down feelings and needs, "
             "and keeps a door open to leave.",
        fears="That letting someone in means being let down, swallowed up or rejected, "
              "and that it would be too much to bear.",
        wants="For you to be safe and free, with room to breathe.",
        where_felt=("chest-left", "chest-right", "shoulder-left", "shoulder-right", "jaw"),
        often_with=("fears-being-left",)),
    PartTemplate(
        key="inner-critic", name="The inner critic", role="manager",
        summary="Points out every flaw first, before anyone else can.",
        does="Comments on what you say and do, notices mistakes, and pushes you to "
             "do better, sometimes harshly.",
        fears="That if it stopped, you would be judged, laughed at or turned away, "
              "and that it would be your own fault.",
        wants="For you to be accepted and safe from shame.",
        where_felt=("forehead", "jaw", "back-of-neck"),
        often_with=("young-one",)),
    PartTemplate(
        key="caretaker", name="The caretaker", role="manager",
        summary="Looks after everyone else's feelings and keeps the peace.",
        does="Senses what others need and offers it before they ask. It says yes when it "
             "means no, and smooths things over.",
        fears="That if you had needs of your own, or said no, people would be upset and "
              "the connection would break.",
        wants="For you to stay loved and connected, and for things around you to feel calm.",
        where_felt=("throat", "solar-plexus", "shoulder-left", "shoulder-right"),
        often_with=("young-one", "does-it-alone")),
    PartTemplate(
        key="young-one", name="The young one underneath", role="exile",
        summary="A younger part that still carries an old hurt, often kept out of sight.",
        does="Holds feelings from long ago: loneliness, fear, or a sense of being too much "
             "or not enough. It can flood in when something today echoes the past.",
        fears="That it will be left alone again with nobody noticing how it feels.",
        wants="To be seen, comforted and kept company, so it no longer carries this alone.",
        where_felt=("heart-area", "middle-belly", "throat"),
        often_with=("fears-being-left", "inner-critic", "caretaker")),
    PartTemplate(
        key="does-it-alone", name="The one who does it all alone", role="manager",
        summary="Would rather manage everything than depend on anyone.",
        does="Handles things by itself, turns down help, and stays strong and capable "
             "whatever it costs.",
        fears="That needing someone leads to disappointment, or to being let down just "
              "when it matters most.",
        wants="For you to be steady and never left stranded.",
        where_felt=("shoulder-left", "shoulder-right", "upper-spine", "jaw"),
        often_with=("caretaker", "young-one")),
    PartTemplate(
        key="perfectionist", name="The perfectionist", role="manager",
        summary="Works hard to get everything exactly right.",
        does="Checks, plans and polishes; raises the bar again as soon as it is reached.",
        fears="That a single mistake would show you are not good enough, and people "
              "would turn away.",
        wants="For you to be respected, secure and beyond reproach.",
        where_felt=("forehead", "jaw", "back-of-neck", "shoulder-left", "shoulder-right"),
        often_with=("inner-critic", "young-one")),
    PartTemplate(
        key="goes-numb", name="The one who goes numb", role="firefighter",
        summary="Switches things off fast when feelings get too big.",
        does="When something becomes overwhelming it dims everything down: going blank, "
             "drifting off, scrolling, sleeping, anything to make it stop.",
        fears="That the pain would flood in and never end if it did not act right now.",
        wants="For you to get through, and to have relief when it all feels like too much.",
        where_felt=("crown", "eyes", "upper-belly"),
        often_with=("young-one",)),
)


def template(key: str) -> PartTemplate | None:
    return next((t for t in TEMPLATES if t.key == key), None)
