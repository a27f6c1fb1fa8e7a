"""The fields an analytics row holds, and the export headers that name them, per platform.

Headers are compared after :func:`header_key` (Unicode NFKC, lowercase, accents kept, runs of
whitespace as one space). Besides the English headers of each export, the table holds the
localized YouTube Studio headers seen in public code that reads these exports (German,
Spanish, French, Portuguese, Japanese) and TikTok's Spanish ones; ``--map`` names any other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

PLATFORMS: tuple[str, ...] = ("youtube", "tiktok", "instagram")


@dataclass(frozen=True)
class Field:
    """One canonical field: its name and kind (``id``, ``text``, ``when``, ``count``,
    ``percent``, ``share``, ``seconds``, ``real``, ``url``) and what it means."""

    name: str
    kind: str
    help: str


FIELDS: tuple[Field, ...] = (
    Field("video_id", "id", "the platform's id of the video (YouTube Content, Post ID)"),
    Field("title", "text", "title, caption or description"),
    Field("published", "when", "publish date and time"),
    Field("duration", "seconds", "length of the video"),
    Field("permalink", "url", "link to the video (TikTok's id is taken from it)"),
    Field("post_type", "text", "Reel, post, story..."),
    Field("views", "count", "views or plays"),
    Field("reach", "count", "accounts reached"),
    Field("impressions", "count", "impressions"),
    Field("ctr", "percent", "impressions click-through rate"),
    Field("likes", "count", "likes"),
    Field("comments", "count", "comments"),
    Field("shares", "count", "shares"),
    Field("saves", "count", "saves"),
    Field("subscribers", "count", "subscribers or follows gained"),
    Field("watch_time_hours", "real", "total watch time in hours"),
    Field("avg_view_duration", "seconds", "average view duration (watch time)"),
    Field("avg_pct_viewed", "share", "average percentage viewed (over 100 when Shorts loop)"),
    Field("watched_full", "percent", "viewers who watched the whole video"),
    Field("stayed_to_watch", "percent", "viewers who stayed rather than swiped away (Shorts)"),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELD_KIND: dict[str, str] = {f.name: f.kind for f in FIELDS}
#: ``--map COL=ignore`` drops a column.
IGNORE = "ignore"

_YOUTUBE: dict[str, tuple[str, ...]] = {
    "video_id": ("Content", "Video ID", "Videos", "Contenu", "Contenido", "Conteúdo",
                 "ID del vídeo", "ID del video", "コンテンツ"),
    "title": ("Video title", "Videotitel", "Título del vídeo", "Título del video",
              "Título do vídeo", "Titre de la vidéo"),
    "published": ("Video publish time", "Veröffentlichungszeitpunkt des Videos",
                  "Horário de publicação do vídeo", "Fecha de publicación del vídeo"),
    "duration": ("Duration", "Dauer", "Duração", "Duración", "Durée"),
    "views": ("Views", "Aufrufe", "Visualizaciones", "Visualizações", "Vues", "視聴回数"),
    "impressions": ("Impressions", "Thumbnail impressions", "Impressionen", "Impresiones",
                    "Impressões", "インプレッション数", "サムネイルのインプレッション"),
    "ctr": ("Impressions click-through rate (%)", "Thumbnail click-through rate (%)",
            "Klickrate der Impressionen (%)", "Porcentaje de clics de las impresiones (%)",
            "CTR de las impresiones (%)", "Taxa de cliques de impressões (%)",
            "Taux de clics par impression (%)", "インプレッションのクリック率 (%)",
            "サムネイルのクリック率 (%)"),
    "watch_time_hours": ("Watch time (hours)", "Wiedergabezeit (Stunden)",
                         "Tiempo de visualización (horas)", "Tempo de exibição (horas)"),
    "avg_view_duration": ("Average view duration", "Durchschnittliche Wiedergabedauer",
                          "Duración media de las visualizaciones",
                          "Duración media de la visualización", "Duração média da visualização",
                          "Durée moyenne de visionnage", "平均視聴時間"),
    "avg_pct_viewed": ("Average percentage viewed (%)", "Porcentaje medio visto (%)",
                       "Porcentaje medio reproducido (%)", "Porcentagem média visualizada (%)",
                       "Pourcentage moyen regardé (%)", "平均視聴率 (%)", "平均再生率 (%)"),
    "stayed_to_watch": ("Stayed to watch (%)",),
    "subscribers": ("Subscribers", "Subscribers gained", "Abonnenten", "Suscriptores",
                    "Suscriptores ganados", "Inscritos", "Abonnés"),
    "likes": ("Likes", "Me gusta"),
    "comments": ("Comments added", "Comentarios"),
    "shares": ("Shares", "Compartidos"),
}
_TIKTOK: dict[str, tuple[str, ...]] = {
    "video_id": ("Video ID",),
    "title": ("Video title", "Título del vídeo"),
    "permalink": ("Video link", "Link"),
    "published": ("Post time", "Date", "Posted on"),
    "duration": ("Duration", "Video duration", "Duration (sec)"),
    "views": ("Total views", "Views", "Video views", "Visualizaciones de vídeo"),
    "likes": ("Total likes", "Likes", "Me gusta"),
    "comments": ("Total comments", "Comments", "Comentarios"),
    "shares": ("Total shares", "Shares", "Compartidos"),
    "saves": ("Total saves", "Saves", "Favorites"),
    "avg_view_duration": ("Average watch time", "Average watch time (sec)", "Avg. watch time",
                          "Tiempo medio de visualización"),
    "watched_full": ("Watched full video (%)", "Watched full video"),
    "subscribers": ("New followers", "Nuevos seguidores"),
    "reach": ("Reached audience",),
}
_INSTAGRAM: dict[str, tuple[str, ...]] = {
    "video_id": ("Post ID",),
    "title": ("Description", "Title"),
    "duration": ("Duration (sec)",),
    "published": ("Publish time",),
    "permalink": ("Permalink",),
    "post_type": ("Post type",),
    "views": ("Views", "Plays"),
    "reach": ("Reach",),
    "likes": ("Likes",),
    "comments": ("Comments",),
    "shares": ("Shares",),
    "saves": ("Saves",),
    "subscribers": ("Follows",),
    "avg_view_duration": ("Average watch time", "Avg. watch time", "Average watch time (sec)",
                          "Tiempo medio de visualización"),
}
#: Headers of each platform's export that say nothing this project uses (dropped quietly).
_KNOWN_UNUSED: dict[str, tuple[str, ...]] = {
    "youtube": ("Likes (vs. dislikes) (%)", "Your estimated revenue (USD)",
                "Estimated revenue (USD)", "RPM (USD)", "Geschätzter Umsatz (EUR)",
                "Subscribers lost", "Suscriptores perdidos", "Unique viewers", "New viewers",
                "Returning viewers"),
    "tiktok": ("Total play time", "Total play time (sec)", "Total engagements"),
    "instagram": ("Account ID", "Account username", "Account name", "Data comment", "Date"),
}
#: Headers that say which platform an export comes from.
_MARKERS: dict[str, tuple[str, ...]] = {
    "youtube": ("Content", "Video publish time", "Average percentage viewed (%)",
                "Impressions click-through rate (%)", "Watch time (hours)", "Videos",
                "Contenu", "Contenido", "Conteúdo", "コンテンツ", "Aufrufe",
                "Veröffentlichungszeitpunkt des Videos", "Porcentaje medio visto (%)",
                "Pourcentage moyen regardé (%)", "Porcentagem média visualizada (%)",
                "Stayed to watch (%)", "Comments added"),
    "tiktok": ("Video link", "Post time", "Total views", "Total likes", "Total comments",
               "Total shares", "Watched full video (%)", "Average watch time (sec)"),
    "instagram": ("Post ID", "Permalink", "Post type", "Reach", "Account username",
                  "Duration (sec)", "Publish time", "Description"),
}
#: The first data row of a YouTube Studio table: the channel total, not a video.
TOTAL_ROW_IDS = {"total", "gesamt", "totales", "合計"}


def header_key(name: str) -> str:
    """``"  Average percentage viewed (%) "`` -> ``"average percentage viewed (%)"``."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {header_key(h): field for field, headers in table.items() for h in headers}


#: Per platform: header key -> field.
ALIASES: dict[str, dict[str, str]] = {
    "youtube": _keyed(_YOUTUBE), "tiktok": _keyed(_TIKTOK), "instagram": _keyed(_INSTAGRAM)}
UNUSED: dict[str, set[str]] = {p: {header_key(h) for h in hs} for p, hs in _KNOWN_UNUSED.items()}
MARKERS: dict[str, set[str]] = {p: {header_key(h) for h in hs} for p, hs in _MARKERS.items()}


def guess_platform(headers: Iterable[str]) -> str | None:
    """The platform whose export these headers look like most, ``None`` when unclear."""
    keys = {header_key(h) for h in headers}
    scores = {p: len(keys & MARKERS[p]) for p in PLATFORMS}
    best = max(scores.values())
    winners = [p for p, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None
