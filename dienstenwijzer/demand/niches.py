"""The niche workflow: figures per niche, rename, status, merge, split (both undoable from the
niche's history), and new-service alerts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Category, DemandSignal, Niche, NicheAlert, NicheEvent, NicheKey, Service
from ..models.demand import EVENT_MERGED, EVENT_SPLIT, NICHE_FILLED, NICHE_OPEN, NICHE_REJECTED
from ..search.analysis import analyse, words

RECENT_DAYS = 30
BEFORE_DAYS = 90


@dataclass
class NicheFigures:
    niche: Niche
    count: int
    municipalities: list[str]
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    recent: int  # last 30 days
    before: int  # the 90 days before that

    @property
    def trend(self) -> str:
        """Last 30 days against the monthly average of the 90 days before."""
        usual = self.before / (BEFORE_DAYS / RECENT_DAYS)
        if self.recent > usual * 1.25 and self.recent >= 2:
            return "stijgend"
        if self.recent < usual * 0.75:
            return "dalend"
        return "stabiel"


def figures(
    session: Session, niches: list[Niche], now: dt.datetime | None = None
) -> list[NicheFigures]:
    now = now or utcnow()
    ids = [n.id for n in niches]
    if not ids:
        return []
    recent_from = now - dt.timedelta(days=RECENT_DAYS)
    before_from = recent_from - dt.timedelta(days=BEFORE_DAYS)
    rows = session.execute(
        select(DemandSignal.niche_id, DemandSignal.created_at, DemandSignal.municipality_nis).where(
            DemandSignal.niche_id.in_(ids)
        )
    ).all()
    from ..models import Municipality

    names = dict(session.execute(select(Municipality.nis_code, Municipality.name)).all())
    by_niche: dict[int, list] = {i: [] for i in ids}
    for niche_id, created, nis in rows:
        by_niche[niche_id].append((created, nis))
    out = []
    for niche in niches:
        signals = by_niche[niche.id]
        times = [c for c, _ in signals]
        places = Counter(names.get(nis, nis) for _, nis in signals if nis)
        out.append(
            NicheFigures(
                niche=niche,
                count=len(signals) + niche.purged_count,
                municipalities=[name for name, _ in places.most_common()],
                first_seen=min(times) if times else None,
                last_seen=max(times) if times else None,
                recent=sum(1 for t in times if t >= recent_from),
                before=sum(1 for t in times if before_from <= t < recent_from),
            )
        )
    return out


def update_niche(
    session: Session,
    niche: Niche,
    *,
    title: str,
    status: str,
    service: Service | None,
    reason: str | None,
) -> None:
    if title.strip() != niche.title:
        niche.title = title.strip()
        niche.title_from_residents = False
    niche.confirmed = True  # staff looked at it: it belongs on the board
    niche.status = status
    niche.service = service if status == NICHE_FILLED else None
    niche.reason = (reason or "").strip() or None if status == NICHE_REJECTED else None
    session.flush()


def merge(session: Session, source: Niche, target: Niche, actor: str = "systeem") -> NicheEvent:
    """Move the signals and keys of `source` into `target`; new signals follow the keys.

    The merge is written in the target's history with what undoing it needs (`undo`).
    """
    if source.region_id != target.region_id or source.id == target.id:
        raise ValueError("merge within one zorggebied, two different niches")
    alerts = list(session.scalars(select(NicheAlert).where(NicheAlert.niche_id == source.id)))
    events = list(session.scalars(select(NicheEvent).where(NicheEvent.niche_id == source.id)))
    event = NicheEvent(
        region_id=target.region_id,
        niche_id=target.id,
        kind=EVENT_MERGED,
        other_niche_id=source.id,
        other_title=source.title,
        actor=actor,
        details={
            "niche": {
                "title": source.title,
                "status": source.status,
                "reason": source.reason,
                "service_id": source.service_id,
                "confirmed": source.confirmed,
                "title_from_residents": source.title_from_residents,
                "purged_count": source.purged_count,
                "created_at": source.created_at.isoformat() if source.created_at else None,
            },
            "signals": [s.id for s in source.signals],
            "keys": [k.key for k in source.keys],
            "alerts": [a.id for a in alerts],
            "events": [e.id for e in events],
        },
    )
    for signal in list(source.signals):
        signal.niche = target
    for key in list(source.keys):
        key.niche = target
    target.purged_count += source.purged_count
    target.confirmed = True
    for alert in alerts:
        alert.niche = target
    for earlier in events:  # the history travels with the signals
        earlier.niche_id = target.id
    session.add(event)
    session.flush()
    session.delete(source)
    session.flush()
    return event


def split(
    session: Session, niche: Niche, signal_ids: list[int], title: str, actor: str = "systeem"
) -> Niche:
    """Move some signals into a new niche of their own (without a key: it does not attract)."""
    new = Niche(
        region_id=niche.region_id,
        title=title.strip()[:200] or f"{niche.title} (deel)",
        confirmed=True,
        title_from_residents=not title.strip() and niche.title_from_residents,
    )
    session.add(new)
    moved = [signal.id for signal in niche.signals if signal.id in signal_ids]
    for signal in list(niche.signals):
        if signal.id in signal_ids:
            signal.niche = new
    session.flush()
    session.add(
        NicheEvent(
            region_id=niche.region_id,
            niche_id=niche.id,
            kind=EVENT_SPLIT,
            other_niche_id=new.id,
            other_title=new.title,
            actor=actor,
            details={"signals": moved},
        )
    )
    session.flush()
    return new


class UndoRefused(ValueError):
    """Why a merge or split cannot be undone, in Dutch."""


def history(session: Session, niche: Niche) -> list[NicheEvent]:
    return list(
        session.scalars(
            select(NicheEvent)
            .where(NicheEvent.niche_id == niche.id)
            .order_by(NicheEvent.created_at.desc(), NicheEvent.id.desc())
        )
    )


def undo(session: Session, event: NicheEvent, actor: str) -> Niche:
    """Undo a merge (the merged niche comes back with what it brought) or a split (the signals
    go back). Returns the niche that reappears or takes the signals back."""
    if event.undone_at is not None:
        raise UndoRefused("Dit is al ongedaan gemaakt.")
    holder = session.get(Niche, event.niche_id)
    if event.kind == EVENT_MERGED:
        back = _undo_merge(session, event, holder)
    else:
        back = _undo_split(session, event, holder)
    event.undone_at = utcnow()
    event.undone_by = actor
    session.flush()
    return back


FORGOTTEN_TITLE = "(naam gewist na bewaartermijn)"


def forget_history(session: Session, before: dt.datetime, gone_niche_ids: list[int]) -> int:
    """Retention for the history: events of niches that `purge` removes go with them, and older
    events lose the titles they keep (residents' words). Returns the events changed or removed."""
    changed = 0
    if gone_niche_ids:
        changed += session.execute(
            delete(NicheEvent).where(NicheEvent.niche_id.in_(gone_niche_ids))
        ).rowcount
    for event in session.scalars(
        select(NicheEvent).where(
            NicheEvent.created_at < before, NicheEvent.other_title != FORGOTTEN_TITLE
        )
    ):
        event.other_title = FORGOTTEN_TITLE
        if "niche" in (event.details or {}):
            event.details = {
                **event.details,
                "niche": {**event.details["niche"], "title": FORGOTTEN_TITLE},
            }
        changed += 1
    session.flush()
    return changed


def _undo_merge(session: Session, event: NicheEvent, holder: Niche) -> Niche:
    kept = event.details["niche"]
    created = kept.get("created_at")
    restored = Niche(
        region_id=holder.region_id,
        title=kept["title"],
        status=kept["status"],
        reason=kept["reason"],
        service_id=kept["service_id"],
        confirmed=kept["confirmed"],
        title_from_residents=kept["title_from_residents"],
        purged_count=kept["purged_count"],
        created_at=dt.datetime.fromisoformat(created) if created else None,
    )
    if restored.service_id is not None and session.get(Service, restored.service_id) is None:
        restored.service_id = None
    session.add(restored)
    session.flush()
    ids = set(event.details["signals"])
    for signal in list(holder.signals):
        if signal.id in ids:
            signal.niche = restored
    keys = set(event.details["keys"])
    for key in list(holder.keys):
        if key.key in keys:
            key.niche = restored
    holder.purged_count = max(0, holder.purged_count - kept["purged_count"])
    alerts = event.details["alerts"]
    if alerts:
        for alert in session.scalars(
            select(NicheAlert).where(NicheAlert.id.in_(alerts), NicheAlert.niche_id == holder.id)
        ):
            alert.niche = restored
    earlier = event.details["events"]
    if earlier:
        for moved in session.scalars(
            select(NicheEvent).where(NicheEvent.id.in_(earlier), NicheEvent.niche_id == holder.id)
        ):
            moved.niche_id = restored.id
    return restored


def _undo_split(session: Session, event: NicheEvent, holder: Niche) -> Niche:
    part = session.get(Niche, event.other_niche_id) if event.other_niche_id else None
    if part is None or part.region_id != holder.region_id:
        raise UndoRefused(
            f"De afgesplitste niche “{event.other_title}” bestaat niet meer "
            "(samengevoegd met een andere?): maak dat eerst ongedaan."
        )
    ids = set(event.details["signals"])
    for signal in list(part.signals):
        if signal.id in ids:
            signal.niche = holder
    session.flush()
    session.expire(part, ["signals", "keys"])
    has_history = session.scalar(
        select(func.count(NicheEvent.id)).where(NicheEvent.niche_id == part.id)
    )
    alerts = session.scalar(select(func.count(NicheAlert.id)).where(NicheAlert.niche_id == part.id))
    if (
        not part.signals
        and not part.keys
        and not has_history
        and not alerts
        and not part.purged_count
    ):
        session.delete(part)  # nothing of its own left: the split never happened
    return holder


def alert_matching_niches(session: Session, services: list[Service]) -> int:
    """Tell the regisseur when a new service may meet an open niche of its zorggebied."""
    if not services:
        return 0
    parent_of = dict(session.execute(select(Category.id, Category.parent_id)).all())
    region_ids = {s.region_id for s in services}
    keys = session.execute(
        select(NicheKey.key, NicheKey.niche_id, Niche.region_id)
        .join(Niche, NicheKey.niche_id == Niche.id)
        .where(Niche.region_id.in_(region_ids), Niche.status.in_(NICHE_OPEN))
    ).all()
    made = 0
    for service in services:
        categories = {c.id for c in service.categories} | {
            parent_of.get(c.id) for c in service.categories
        } - {None}
        stems = set(analyse(f"{service.name} {service.description}"))
        for key, niche_id, region_id in keys:
            if region_id != service.region_id:
                continue
            if key.startswith("cat:"):
                hit = key[4:] in categories
            else:
                terms = set(key[6:].split())
                hit = bool(terms) and terms <= stems
            if hit:
                session.add(NicheAlert(niche_id=niche_id, service_id=service.id))
                made += 1
    session.flush()
    return made


def open_alerts(session: Session, region_id: int) -> list[NicheAlert]:
    return list(
        session.scalars(
            select(NicheAlert)
            .join(Niche, NicheAlert.niche_id == Niche.id)
            .where(Niche.region_id == region_id, NicheAlert.dismissed_at.is_(None))
            .order_by(NicheAlert.created_at.desc())
        )
    )


def dismiss(session: Session, alert: NicheAlert) -> None:
    alert.dismissed_at = utcnow()
    session.flush()


def residents_words(niche: Niche) -> str:
    """What residents typed most for this niche, folded: the word to teach the search."""
    texts = Counter(" ".join(words(s.text)) for s in niche.signals if words(s.text))
    if texts:
        return texts.most_common(1)[0][0]
    return niche.title if niche.title_from_residents else ""
