"""The niche workflow: figures per niche, rename, status, merge, split, and new-service alerts."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Category, DemandSignal, Niche, NicheAlert, NicheKey, Service
from ..models.demand import NICHE_FILLED, NICHE_OPEN, NICHE_REJECTED
from ..search.analysis import analyse, words

RECENT_DAYS = 30
BEFORE_DAYS = 90


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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


def figures(session: Session, niches: list[Niche], now: dt.datetime | None = None) -> list[NicheFigures]:
    now = now or _now()
    ids = [n.id for n in niches]
    if not ids:
        return []
    recent_from = now - dt.timedelta(days=RECENT_DAYS)
    before_from = recent_from - dt.timedelta(days=BEFORE_DAYS)
    rows = session.execute(
        select(DemandSignal.niche_id, DemandSignal.created_at, DemandSignal.municipality_nis)
        .where(DemandSignal.niche_id.in_(ids))
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
        out.append(NicheFigures(
            niche=niche,
            count=len(signals) + niche.purged_count,
            municipalities=[name for name, _ in places.most_common()],
            first_seen=min(times) if times else None,
            last_seen=max(times) if times else None,
            recent=sum(1 for t in times if t >= recent_from),
            before=sum(1 for t in times if before_from <= t < recent_from),
        ))
    return out


def update_niche(session: Session, niche: Niche, *, title: str, status: str, service: Service | None,
                 reason: str | None) -> None:
    if title.strip() != niche.title:
        niche.title = title.strip()
        niche.title_from_residents = False
    niche.confirmed = True  # staff looked at it: it belongs on the board
    niche.status = status
    niche.service = service if status == NICHE_FILLED else None
    niche.reason = (reason or "").strip() or None if status == NICHE_REJECTED else None
    session.flush()


def merge(session: Session, source: Niche, target: Niche) -> None:
    """Move the signals and keys of `source` into `target`; new signals follow the keys."""
    if source.region_id != target.region_id or source.id == target.id:
        raise ValueError("merge within one zorggebied, two different niches")
    for signal in list(source.signals):
        signal.niche = target
    for key in list(source.keys):
        key.niche = target
    target.purged_count += source.purged_count
    target.confirmed = True
    for alert in session.scalars(select(NicheAlert).where(NicheAlert.niche_id == source.id)):
        alert.niche = target
    session.flush()
    session.delete(source)
    session.flush()


def split(session: Session, niche: Niche, signal_ids: list[int], title: str) -> Niche:
    """Move some signals into a new niche of their own (without a key: it does not attract)."""
    new = Niche(region_id=niche.region_id, title=title.strip()[:200] or f"{niche.title} (deel)",
                confirmed=True, title_from_residents=not title.strip() and niche.title_from_residents)
    session.add(new)
    for signal in niche.signals:
        if signal.id in signal_ids:
            signal.niche = new
    session.flush()
    return new


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
        categories = {c.id for c in service.categories} | {parent_of.get(c.id) for c in service.categories} - {None}
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
    return list(session.scalars(
        select(NicheAlert).join(Niche, NicheAlert.niche_id == Niche.id)
        .where(Niche.region_id == region_id, NicheAlert.dismissed_at.is_(None))
        .order_by(NicheAlert.created_at.desc())
    ))


def dismiss(session: Session, alert: NicheAlert) -> None:
    alert.dismissed_at = _now()
    session.flush()


def signal_count(session: Session, niche: Niche) -> int:
    return (session.scalar(select(func.count(DemandSignal.id)).where(DemandSignal.niche_id == niche.id)) or 0) + niche.purged_count


def residents_words(niche: Niche) -> str:
    """What residents typed most for this niche, folded: the word to teach the search."""
    texts = Counter(" ".join(words(s.text)) for s in niche.signals if words(s.text))
    if texts:
        return texts.most_common(1)[0][0]
    return niche.title if niche.title_from_residents else ""
