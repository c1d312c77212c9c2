"""The workers and the topic catalogue name the same consumer groups: the operator tools
read lag and plan replays from the catalogue, the workers subscribe from it."""

from __future__ import annotations

from consumers.workers import WORKERS, retry_topics
from schemas.topics import CONSUMER_GROUPS, group_topics


def test_every_worker_is_a_consumer_group_of_the_catalogue() -> None:
    assert {name: worker.topics for name, worker in WORKERS.items()} == CONSUMER_GROUPS


def test_a_groups_topics_are_its_sources_and_their_retry_topics() -> None:
    assert group_topics("scoring") == [
        "cv.parsed",
        "cv.match-requested",
        "cv.parsed.retry.scoring",
        "cv.match-requested.retry.scoring",
    ]
    assert sorted(retry_topics()) == sorted(
        name for group in CONSUMER_GROUPS for name in group_topics(group) if ".retry." in name
    )
