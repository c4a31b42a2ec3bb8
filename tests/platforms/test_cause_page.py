"""The home page and the Cause page: what Tribu is, open platforms only, the photo of the
place resized and served by the app, link-preview metadata, how to join."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import make_user
from tribu.platforms.founding import found_platform
from tribu.platforms.models import Platform, PlatformStatus


def picture(width=3000, height=2000, fmt="PNG") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, fmt)
    return SimpleUploadedFile(f"lieu.{fmt.lower()}", out.getvalue())


def steward_client(tribe) -> Client:
    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    client = Client(headers={"accept-language": "en"})
    client.force_login(tribe.hana.user)
    return client


def test_the_home_page_says_what_tribu_is_and_lists_open_platforms_only(tribe, founder):
    found_platform(founder, host_name="Hôte", name="Secret", cause_title="Pas encore")
    page = Client(headers={"accept-language": "en"}).get("/").content.decode()
    assert "Who wants to build a value platform?" in page
    assert 'href="/start/"' in page and "Tribu essai" in page
    assert "Secret" not in page
    mine = Client(headers={"accept-language": "en"})
    mine.force_login(founder)
    assert "Secret" in mine.get("/").content.decode()  # under "Your drafts"


def test_a_steward_uploads_a_photo_served_resized_with_a_link_preview(tribe, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = steward_client(tribe)
    assert client.post("/p/essai/photo/", {"photo": picture()}).status_code == 302
    response = Client().get("/p/essai/photo.jpg")
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(b"".join(response.streaming_content))) as image:
        assert max(image.size) == 1600
    Platform.objects.filter(pk=tribe.platform.pk).update(is_public=True)
    page = Client().get("/p/essai/").content.decode()
    assert 'property="og:image" content="http://testserver/p/essai/photo.jpg"' in page
    assert 'name="twitter:card" content="summary_large_image"' in page


def test_a_file_that_is_not_a_picture_is_refused(tribe, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    bad = SimpleUploadedFile("lieu.jpg", b"not a picture at all")
    page = steward_client(tribe).post("/p/essai/photo/", {"photo": bad})
    assert page.status_code == 200
    assert not Platform.objects.get(pk=tribe.platform.pk).photo


def test_a_drafts_photo_is_its_founders_only(founder, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    platform = found_platform(founder, host_name="Hôte", name="Ruche", cause_title="Une cause")
    client = Client()
    client.force_login(founder)
    assert (
        client.post(f"/p/{platform.slug}/photo/", {"photo": picture(800, 600)}).status_code == 302
    )
    assert client.get(f"/p/{platform.slug}/photo.jpg").status_code == 200
    assert Client().get(f"/p/{platform.slug}/photo.jpg").status_code == 404
    assert platform.status == PlatformStatus.DRAFT


def test_the_cause_page_shows_the_public_life_of_the_platform_and_hides_the_rest(tribe):
    """People with a public profile by name; open needs and offers, newest first; public
    projects, naming their owner only if the owner is public; public gatherings to come,
    soonest first, with their time."""
    from tests.spaces.helpers import future
    from tribu.agents.models import Agent
    from tribu.community import services as community
    from tribu.spaces.services import add_resource, cancel_gathering, create_gathering

    Agent.objects.filter(pk__in=[tribe.alice.pk, tribe.fanny.pk]).update(is_public=True)
    tribe.bob.refresh_from_db()
    community.post_intent(tribe.alice, kind="need", title="Un plombier")
    community.post_intent(tribe.bob, kind="offer", title="Des confitures")
    gone = community.post_intent(tribe.alice, kind="offer", title="Un vélo prêté")
    community.withdraw_intent(gone, tribe.alice)
    community.save_project(tribe.alice, {"title": "Atelier vélo", "visibility": "public"})
    community.save_project(tribe.bob, {"title": "Jardin partagé", "visibility": "public"})
    community.save_project(tribe.bob, {"title": "Projet discret", "visibility": "members"})
    agora = add_resource(tribe.platform, slug="agora", name="Agora", kind="event_space")

    def gathering(title, days, **more):
        start = future(days, 18)
        return create_gathering(
            tribe.platform, tribe.hana, kind="apero", title=title, resource=agora,
            start=start, end=start.replace(hour=20), **more,
        )  # fmt: skip

    gathering("Soirée de rentrée", 20)
    gathering("Apéro des voisins", 3)
    gathering("Réunion interne", 5, is_public=False)
    cancel_gathering(gathering("Concert annulé", 8), tribe.hana)

    page = Client(headers={"accept-language": "fr"}).get(f"/p/{tribe.platform.slug}/")
    html = page.content.decode()
    people = html[html.index('id="people-title"') : html.index('id="join-title"')]
    assert people.index("Alice") < people.index("Fanny") and "Bob" not in people
    intents = html[html.index('id="intents-title"') : html.index('id="projects-title"')]
    assert intents.index("Des confitures") < intents.index("Un plombier")
    assert "Offre" in intents and "Besoin" in intents and "Un vélo prêté" not in intents
    projects = html[html.index('id="projects-title"') : html.index('id="gatherings-title"')]
    assert "Atelier vélo</strong> — Alice" in projects
    assert "Jardin partagé</strong><" in projects  # Bob keeps his profile private
    assert "Projet discret" not in projects
    coming = html[html.index('id="gatherings-title"') :]
    assert coming.index("Apéro des voisins") < coming.index("Soirée de rentrée")
    assert "Réunion interne" not in coming and "Concert annulé" not in coming
    assert f'datetime="{future(3, 18).isoformat()}"' in coming
