"""The embedding cache: one vector per (model id, text fingerprint)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from cib.store._base import StoreBase

Vector = npt.NDArray[np.float32]


class EmbeddingsStore(StoreBase):
    """Table ``embeddings`` (``model_id, text_fp, embedding FLOAT[]``)."""

    def cached_embeddings(self, model_id: str, fps: list[str]) -> dict[str, Vector]:
        """The stored vectors of model ``model_id`` for the fingerprints ``fps`` it has."""
        if not fps:
            return {}
        with self._registered("_fps", pl.DataFrame({"text_fp": fps})):
            rows = self._pl(
                "SELECT e.text_fp, e.embedding FROM embeddings e JOIN _fps f USING (text_fp) "
                "WHERE e.model_id = ?",
                params=[model_id],
            )
        self.release_memory()  # the vectors read (0.4 GB for 400k texts) stay cached otherwise
        if rows.height == 0:
            return {}
        emb = rows["embedding"]
        lengths = emb.list.len()
        dim = int(lengths[0])
        if emb.null_count() or bool((lengths != dim).any()):
            vecs = [np.asarray(v, dtype=np.float32) for v in emb.to_list()]
            return dict(zip(rows["text_fp"].to_list(), vecs, strict=True))
        # Straight from the Arrow buffer: (rows, dim) without Python lists.
        mat = emb.explode().to_numpy().astype(np.float32, copy=False).reshape(rows.height, dim)
        return dict(zip(rows["text_fp"].to_list(), mat, strict=True))

    def add_embeddings(self, model_id: str, fps: list[str], vectors: npt.ArrayLike) -> None:
        """Store the vectors (one row of ``vectors`` per fingerprint of ``fps``)."""
        if not fps:
            return
        mat = np.ascontiguousarray(vectors, dtype=np.float32)
        if mat.ndim != 2 or mat.shape[0] != len(fps):
            raise ValueError(f"vectors {mat.shape} do not match {len(fps)} text fingerprints")
        # The FLOAT[] column straight from the numpy buffer (Arrow list = offsets + values).
        n, dim = mat.shape
        large = n * dim >= 2**31
        offsets = pa.array(np.arange(n + 1, dtype=np.int64 if large else np.int32) * dim)
        lists = pa.LargeListArray if large else pa.ListArray
        embedding = lists.from_arrays(offsets, pa.array(mat.reshape(-1)))
        table = pa.table(
            {
                "model_id": pa.array([model_id] * n, type=pa.string()),
                "text_fp": pa.array(fps, type=pa.string()),
                "embedding": embedding,
            }
        )
        with self.transaction(), self._registered("_emb", table):
            self._x("INSERT INTO embeddings SELECT * FROM _emb")
        self.release_memory()
