from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.extensions import db


class Prefecture(db.Model):
    __tablename__ = "prefecture"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # 01–47
    lg_code: Mapped[str] = mapped_column(String(6), unique=True)  # 全国地方公共団体コード
    name: Mapped[str] = mapped_column(String(10))
    name_kana: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(40), default="")

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="prefecture", order_by="Municipality.code"
    )


class Municipality(db.Model):
    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    name_kana: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Populated by later features (DX context shown on posting pages).
    population: Mapped[int | None] = mapped_column(Integer)

    prefecture: Mapped[Prefecture] = relationship(back_populates="municipalities")

    @property
    def full_name(self) -> str:
        return f"{self.prefecture.name}{self.name}"
