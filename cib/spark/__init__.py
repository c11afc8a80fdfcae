"""Spark engine: the default detection plan run as Spark DataFrame jobs.

Import is cheap: pyspark is imported only when a session is built or a job is planned.
Install with ``pip install 'cib[spark]'`` (pyspark) and a Java 17+ runtime.
"""

from __future__ import annotations

from cib.spark.engine import DriverLimitError, detect_spark, load_posts
from cib.spark.session import get_session
from cib.spark.signals import semantic_texts

__all__ = ["DriverLimitError", "detect_spark", "get_session", "load_posts", "semantic_texts"]
