"""Fixtures that build small PDFs in memory with fpdf2 (nothing binary is committed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from lm.weights import minilm_available

FOOTER_FMT = "Page {page} of {{nb}}"

MakePdf = Callable[..., bytes]


class _BundlePdf(FPDF):
    """A PDF with an optional running header and a "Page n of N" footer on every page."""

    def __init__(self, header_text: str | None, footer: bool) -> None:
        super().__init__()
        self.header_text = header_text
        self.with_footer = footer

    def header(self) -> None:
        if self.header_text:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, self.header_text, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        if self.with_footer:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, FOOTER_FMT.format(page=self.page_no()), align="C")


@pytest.fixture
def make_pdf() -> MakePdf:
    """Build a PDF whose page i holds pages[i]; lines break only where the text has "\\n".

    `header` is a running header line; `footer` adds "Page n of N" at the bottom.

    An entry of None makes a page with no text at all, only a drawn rectangle (a scan stand-in).
    """

    def build(pages: list[str | None], *, header: str | None = None, footer: bool = False) -> bytes:
        pdf = _BundlePdf(header, footer)
        pdf.set_auto_page_break(auto=False)
        for text in pages:
            pdf.add_page()
            if text is None:
                pdf.rect(20, 20, 150, 200, style="F")
                continue
            pdf.set_font("Helvetica", size=11)
            for line in text.split("\n"):
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    return build


@pytest.fixture
def make_scan() -> Callable[[int], bytes]:
    """Build a PDF of `n` pages that carry only images and shapes, no text layer."""

    def build(n: int) -> bytes:
        pdf = FPDF()
        for i in range(n):
            pdf.add_page()
            pdf.image(Image.new("L", (40, 60), color=200 - 10 * i), x=10, y=10, w=100)
            pdf.rect(15, 200, 100, 40)
        return bytes(pdf.output())

    return build


# --- Shared model fixtures for the summarize / batch / CLI / Ray tests --------------------------

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO / "examples" / "bundle"
SAMPLE_PDFS = tuple(sorted(SAMPLE_DIR.glob("*.pdf")))

needs_minilm = pytest.mark.skipif(
    not minilm_available(), reason="verified MiniLM base files are not installed"
)


@pytest.fixture(scope="session")
def engine():
    """The default engine (committed checkpoint: block-local MiniLM + trained head), once."""
    if not minilm_available():
        pytest.skip("verified MiniLM base files are not installed")
    from pipeline.engine import Engine

    return Engine.load()


@pytest.fixture
def fast_engine_load(monkeypatch: pytest.MonkeyPatch, engine):
    """Make `Engine.load()` without an explicit checkpoint return the shared session engine.

    In-process CLI and batch runs then reuse the loaded model instead of loading it again;
    an explicit checkpoint still loads for real. Spawned processes are not affected.
    """
    from pipeline.engine import Engine, EngineConfig

    real = Engine.load.__func__

    def load(cls, cfg: EngineConfig | None = None):
        cfg = cfg or EngineConfig()
        if cfg.checkpoint is None:
            return engine
        return real(cls, cfg)

    monkeypatch.setattr(Engine, "load", classmethod(load))
    return engine


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`tiny_checkpoint(trained)`: a checkpoint directory of the random `tiny` preset.

    Built once per `trained` tuple. The tiny preset has MiniLM's vocabulary (30522), so the
    engine's MiniLM tokenizer fits it.
    """
    import torch

    from lm.checkpoint import save_checkpoint
    from lm.config import ModelConfig
    from lm.model import LongBriefModel

    made: dict[tuple[str, ...], Path] = {}

    def build(trained: tuple[str, ...] = ("abstractive", "extractive")) -> Path:
        if trained not in made:
            torch.manual_seed(0)
            model = LongBriefModel(ModelConfig.from_name("tiny"))
            name = "tiny-" + ("-".join(trained) or "untrained")
            made[trained] = save_checkpoint(
                model, tmp_path_factory.mktemp(name) / name, trained=trained
            )
        return made[trained]

    return build


@pytest.fixture(scope="session")
def sample_pdfs() -> tuple[Path, ...]:
    """The three PDFs of the committed sample bundle (MSA, SOW, amendment)."""
    assert len(SAMPLE_PDFS) == 3, SAMPLE_PDFS
    return SAMPLE_PDFS


BROKEN_KINDS = ("corrupt", "not_pdf", "encrypted")


@pytest.fixture
def make_broken() -> Callable[[str], bytes]:
    """`make_broken(kind)`: bytes of a `.pdf` that cannot be read, for each of BROKEN_KINDS.

    corrupt: a sample PDF cut in half; not_pdf: plain text; encrypted: a sample PDF encrypted
    with a user password (none is given when reading it).
    """
    import io

    from pypdf import PdfReader, PdfWriter

    source = SAMPLE_PDFS[-1].read_bytes()

    def build(kind: str) -> bytes:
        if kind == "corrupt":
            return source[: len(source) // 2]
        if kind == "not_pdf":
            return b"This is a plain text memo, saved with a .pdf name by mistake.\n"
        if kind == "encrypted":
            writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
            writer.encrypt("s3cret", algorithm="AES-256")
            out = io.BytesIO()
            writer.write(out)
            return out.getvalue()
        raise ValueError(kind)

    return build
