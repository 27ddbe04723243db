"""DAISY 2.02 talking book: ncc.html (the navigation centre), one SMIL file per section, a full
text content.html, and Swedish speech from espeak-ng — zipped.

Each line (and each heading) is synthesised on its own, then the lines of a section are joined
into one WAV file; the offsets become the SMIL clip-begin/clip-end values, so clips always lie
inside their audio. Durations are read from the WAV headers."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from folja.accessible.content import Document
from folja.accessible.speech import speakable

ESPEAK = "espeak-ng"
VOICE = "sv"
TIMEOUT_SECONDS = 60
GENERATOR = "Följa (espeak-ng, DAISY 2.02)"


class DaisyError(RuntimeError):
    pass


@dataclass(frozen=True)
class Clip:
    text_id: str
    text: str
    begin: float
    end: float


def spoken_text(text: str, lang: str) -> str:
    """What the voice is given: Swedish said in words ("klockan tio", not "10.00"); the book's
    text keeps what was written."""
    return speakable(text) if lang == "sv" else text


def _synthesise(text: str, path: Path) -> None:
    if not shutil.which(ESPEAK):
        raise DaisyError("espeak-ng not found: install espeak-ng")
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [ESPEAK, "-v", VOICE, "-w", str(path), "--", text],
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0 or not path.exists():
        raise DaisyError(result.stderr.decode("utf-8", "replace").strip() or "espeak-ng failed")


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def _join_wavs(parts: list[Path], target: Path) -> list[tuple[float, float]]:
    """Concatenate WAVs with identical parameters; return each part's (begin, end) seconds."""
    spans: list[tuple[float, float]] = []
    frames_total = 0
    with wave.open(str(parts[0]), "rb") as first:
        params = first.getparams()
    rate = params.framerate
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        for part in parts:
            with wave.open(str(part), "rb") as w:
                if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (
                    params.nchannels,
                    params.sampwidth,
                    params.framerate,
                ):
                    raise DaisyError("speech parts differ in format")
                n = w.getnframes()
                out.writeframes(w.readframes(n))
            spans.append((frames_total / rate, (frames_total + n) / rate))
            frames_total += n
    return spans


def npt(seconds: float) -> str:
    return f"npt={seconds:.3f}s"


def clock(seconds: float) -> str:
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def _xhtml_head(title: str, lang: str, extra_meta: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}">\n'
        "<head>\n"
        '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />\n'
        f"<title>{escape(title)}</title>\n{extra_meta}</head>\n"
    )


def _smil(*, title: str, clips: list[Clip], audio: str, elapsed: float, duration: float) -> str:
    pars = "\n".join(
        f'<par endsync="last" id="par_{c.text_id}">\n'
        f'<text src="content.html#{c.text_id}" id="txt_{c.text_id}" />\n'
        f'<audio src="{audio}" clip-begin="{npt(c.begin)}" clip-end="{npt(c.end)}" '
        f'id="aud_{c.text_id}" />\n</par>'
        for c in clips
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" '
        '"http://www.w3.org/TR/REC-smil/SMIL10.dtd">\n'
        "<smil>\n<head>\n"
        '<meta name="dc:format" content="Daisy 2.02" />\n'
        f'<meta name="dc:title" content={quoteattr(title)} />\n'
        f'<meta name="ncc:generator" content={quoteattr(GENERATOR)} />\n'
        f'<meta name="ncc:totalElapsedTime" content="{clock(elapsed)}" />\n'
        f'<meta name="ncc:timeInThisSmil" content="{clock(duration)}" />\n'
        '<layout>\n<region id="txtView" />\n</layout>\n'
        "</head>\n<body>\n"
        f'<seq dur="{duration:.3f}s">\n{pars}\n</seq>\n'
        "</body>\n</smil>\n"
    )


def build_book(document: Document, directory: Path) -> Path:
    """Write the book's files into `directory`; return the path of ncc.html."""
    directory.mkdir(parents=True, exist_ok=True)
    lang = document.language
    made_on = document.made_on or date.today()
    # The title is its own first section ("title" heading), as DAISY 2.02 expects.
    sections: list[tuple[str, str, list[tuple[str, str]]]] = [("s00", document.title, [])] + [
        (s.key, s.heading, [(f"{s.key}_l{i}", line) for i, line in enumerate(s.lines, 1)])
        for s in document.sections
    ]
    elapsed = 0.0
    ncc_items: list[str] = []
    content_parts: list[str] = []
    files = ["ncc.html", "content.html"]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for index, (key, heading, lines) in enumerate(sections):
            texts = [(key, heading), *lines]
            parts = []
            for n, (_tid, text) in enumerate(texts):
                part = tmpdir / f"{key}_{n}.wav"
                _synthesise(spoken_text(text, lang), part)
                parts.append(part)
            audio_name = f"{key}.wav"
            spans = _join_wavs(parts, directory / audio_name)
            duration = wav_seconds(directory / audio_name)
            clips = [
                Clip(text_id=tid, text=text, begin=b, end=min(e, duration))
                for (tid, text), (b, e) in zip(texts, spans, strict=True)
            ]
            smil_name = f"{key}.smil"
            (directory / smil_name).write_text(
                _smil(
                    title=document.title,
                    clips=clips,
                    audio=audio_name,
                    elapsed=elapsed,
                    duration=duration,
                ),
                encoding="utf-8",
            )
            files += [smil_name, audio_name]
            elapsed += duration
            css = ' class="title"' if index == 0 else ""
            link = f'<a href="{smil_name}#par_{key}">{escape(heading)}</a>'
            ncc_items.append(f'<h1{css} id="ncc_{key}">{link}</h1>')
            body = "".join(f'<p id="{tid}">{escape(text)}</p>\n' for tid, text in lines)
            content_parts.append(f'<h1 id="{key}">{escape(heading)}</h1>\n{body}')

    meta = "\n".join(
        f'<meta name="{name}" content={quoteattr(str(value))} />'
        for name, value in [
            ("dc:title", document.title),
            ("dc:creator", "Följa"),
            ("dc:date", made_on.isoformat()),
            ("dc:format", "Daisy 2.02"),
            ("dc:identifier", f"folja-{document.key}-{made_on.isoformat()}"),
            ("dc:language", lang),
            ("dc:publisher", "Följa"),
            ("ncc:charset", "utf-8"),
            ("ncc:generator", GENERATOR),
            ("ncc:multimediaType", "audioFullText"),
            ("ncc:narrator", "espeak-ng"),
            ("ncc:setInfo", "1 of 1"),
            ("ncc:depth", 1),
            ("ncc:tocItems", len(sections)),
            ("ncc:pageFront", 0),
            ("ncc:pageNormal", 0),
            ("ncc:pageSpecial", 0),
            ("ncc:maxPageNormal", 0),
            ("ncc:totalTime", clock(elapsed)),
            ("ncc:files", len(files)),
        ]
    )
    ncc = _xhtml_head(document.title, lang, meta + "\n") + "<body>\n" + "\n".join(ncc_items)
    (directory / "ncc.html").write_text(ncc + "\n</body>\n</html>\n", encoding="utf-8")
    content = (
        _xhtml_head(document.title, lang)
        + "<body>\n"
        + "".join(content_parts)
        + "</body>\n</html>\n"
    )
    (directory / "content.html").write_text(content, encoding="utf-8")
    return directory / "ncc.html"


def daisy_zip(document: Document) -> bytes:
    """The whole book as a zip (files at the top level, ncc.html first)."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book"
        build_book(document, book)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            names = sorted(p.name for p in book.iterdir())
            names.sort(key=lambda n: (n != "ncc.html", n))
            for name in names:
                zf.write(book / name, arcname=name)
        return buffer.getvalue()
