"""OWASP API1:2023, broken object level authorization: every route that takes an id,
called by another user with the owner's real ids, answers 404 (as for an id that does
not exist) and changes nothing."""

from __future__ import annotations

from tests.security.routes import all_routes
from tests.support.api import upload, wait_for_status
from tests.support.coach import converse
from tests.support.documents import txt_cv
from tests.support.identity import Account, create_api_key, signed_in
from tests.support.system import RunningSystem, wait_for

# A well-formed body for each route that needs one, so ownership is what gets checked.
BODIES: dict[str, dict[str, object]] = {
    "/v1/cvs/{cv_id}/match": {
        "job_description": "Buscamos analista de dados com SQL e Python " * 2
    },
    "/v1/coach/sessions/{coach_session_id}/messages": {"text": "Oi"},
    "/v1/coach/sessions/{coach_session_id}/messages/{message_id}/feedback": {"rating": "up"},
}
# The web application's pages take forms.
FORMS: dict[str, dict[str, str]] = {
    "/app/cvs/{cv_id}/match": {"job_description": "Buscamos analista de dados com SQL."},
    "/app/coach/{session_id}/messages": {"text": "Oi"},
    "/app/coach/{session_id}/messages/{message_id}/rating": {"rating": "up"},
}


def _ids_for(path: str, ids: dict[str, str]) -> dict[str, str]:
    """A coach page's ``session_id`` is the coach session, not the sign-in session."""
    if path.startswith("/app/coach/"):
        return {**ids, "session_id": ids["coach_session_id"]}
    return ids


async def _owned_ids(system: RunningSystem, owner: Account) -> dict[str, str]:
    async with system.client() as client:
        uploaded = await upload(client, owner.headers, txt_cv(), "cv.txt", "text/plain")
        cv_id = uploaded.json()["id"]
        await wait_for_status(client, owner.headers, cv_id, "scored", timeout=30)
        export = await client.post("/v1/me/export", headers=owner.headers)
        await create_api_key(client, owner, "cvs:read")
        keys = (await client.get("/v1/me/api-keys", headers=owner.headers)).json()
        sessions = (await client.get("/v1/me/sessions", headers=owner.headers)).json()
        coach_session_id, reply = await converse(client, owner.headers, "Como melhorar meu CV?")
        tailor_session_id, tailored = await converse(
            client,
            owner.headers,
            "Adapte meu CV para esta vaga",
            mode="tailor",
            job_description="Buscamos analista de dados com SQL e Python.",
        )
        suggestions = await client.get(
            f"/v1/coach/sessions/{tailor_session_id}/messages/{tailored['id']}/suggestions",
            headers=owner.headers,
        )

        async def notification() -> str | None:
            listed = await client.get("/v1/notifications", headers=owner.headers)
            items = listed.json()["items"]
            return str(items[0]["id"]) if items else None

        notification_id = await wait_for(notification, timeout=30, what="a notification")
    return {
        "notification_id": notification_id,
        "coach_session_id": coach_session_id,
        "message_id": reply["id"],
        "suggestion_id": suggestions.json()[0]["id"],
        "cv_id": cv_id,
        "export_id": export.json()["id"],
        "key_id": keys[0]["id"],
        "session_id": sessions[0]["id"],
        # The web application's pages name the session (refresh family) so.
        "family_id": sessions[0]["id"],
    }


async def test_no_route_gives_another_user_s_objects_away(system: RunningSystem) -> None:
    async with system.client() as client:
        owner = await signed_in(client)
        intruder = await signed_in(client)
    ids = await _owned_ids(system, owner)

    taking_ids = [
        route
        for route in all_routes(system.settings)
        if "{" in route.path and route.policy.role == "user"
    ]
    params = {name for route in taking_ids for name in route.params}
    # A new kind of id must be added here, with an object of the owner's to aim at.
    assert params <= ids.keys(), params - ids.keys()
    async with system.client() as client:
        for route in taking_ids:
            form = FORMS.get(route.path)
            if route.path == "/app/coach/{session_id}/cancel":
                form = {"message_id": ids["message_id"]}
            response = await route.call(
                client,
                intruder.headers,
                _ids_for(route.path, ids),
                body=BODIES.get(route.path),
                form=form,
            )
            assert response.status_code == 404, (route, response.text)
            assert response.json()["code"] == "not_found"

        # Everything is still the owner's, as it was.
        cv = await client.get(f"/v1/cvs/{ids['cv_id']}", headers=owner.headers)
        assert cv.status_code == 200
        assert cv.json()["status"] == "scored"
        assert (
            await client.get(f"/v1/cvs/{ids['cv_id']}/report.pdf", headers=owner.headers)
        ).status_code in {200, 404}
        export = await client.get(f"/v1/me/exports/{ids['export_id']}", headers=owner.headers)
        assert export.status_code == 200
        keys = (await client.get("/v1/me/api-keys", headers=owner.headers)).json()
        assert [key["id"] for key in keys] == [ids["key_id"]]
        sessions = (await client.get("/v1/me/sessions", headers=owner.headers)).json()
        assert ids["session_id"] in [s["id"] for s in sessions]
        assert (await client.get("/v1/me", headers=owner.headers)).status_code == 200
        history = await client.get(
            f"/v1/coach/sessions/{ids['coach_session_id']}/messages", headers=owner.headers
        )
        assert [m["role"] for m in history.json()["items"]] == ["user", "assistant"]
        assert history.json()["items"][1]["rating"] is None


async def test_an_id_of_the_wrong_shape_is_a_validation_error_not_a_crash(
    system: RunningSystem,
) -> None:
    taking_ids = [r for r in all_routes(system.settings) if "{" in r.path and r.policy.role]
    async with system.client() as client:
        account = await signed_in(client)
        for route in taking_ids:
            names = route.params
            response = await route.call(client, account.headers, dict.fromkeys(names, "1 OR 1=1"))
            assert response.status_code in {403, 404, 422}, (route, response.text)
