"""Build a SparkSession for the Spark engine from a master URL.

Local masters (``local``, ``local[N]``, ``local[*]``) get small-machine defaults: no web UI,
few shuffle partitions (the Spark default of 200 is far too many for one machine) and a 2 GB
driver. Cluster masters (``spark://``, ``yarn``, ``k8s://``) keep whatever ``spark-submit``
and ``spark-defaults.conf`` say, except the settings the engine relies on:

* ``spark.sql.session.timeZone=UTC`` (timestamps are epoch seconds; days are UTC days),
* Arrow transfers to and from Python on.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

__all__ = ["REQUIRED_CONF", "get_session", "is_local", "local_cores"]

#: Settings the engine needs on every session, local or not.
REQUIRED_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def is_local(master: str) -> bool:
    """True for ``local``, ``local[N]``, ``local[*]`` and ``local[N,F]`` masters."""
    return master == "local" or master.startswith("local[")


def local_cores(master: str) -> int:
    """Cores a local master runs on (``local`` = 1, ``local[*]`` = all CPUs)."""
    m = re.fullmatch(r"local(?:\[(\*|\d+)(?:,\d+)?\])?", master)
    if m is None:
        return 1
    if m.group(1) is None:
        return 1
    if m.group(1) == "*":
        return os.cpu_count() or 1
    return max(int(m.group(1)), 1)


def local_defaults(master: str) -> dict[str, str]:
    """Defaults for a single-machine session: few partitions, no UI, a 4 GB driver
    (``CIB_SPARK_DRIVER_MEMORY`` overrides it)."""
    cores = local_cores(master)
    return {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(max(4, 2 * cores)),
        "spark.default.parallelism": str(max(4, 2 * cores)),
        "spark.driver.memory": os.environ.get("CIB_SPARK_DRIVER_MEMORY", "4g"),
        # Adaptive execution re-plans every stage: on one machine with few partitions that
        # costs more than it saves (about 2x on the 14k-post sample). Clusters keep it on.
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.autoBroadcastJoinThreshold": str(32 * 1024 * 1024),
        "spark.driver.extraJavaOptions": "-XX:+UseG1GC",
        "spark.python.worker.reuse": "true",
        # Python workers (the executor-side embedding, cib.spark.texts) run this interpreter.
        "spark.pyspark.python": os.environ.get("PYSPARK_PYTHON", sys.executable),
    }


def get_session(
    master: str,
    *,
    app_name: str = "cib",
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """A SparkSession on ``master`` with the engine's required settings.

    Parameters
    ----------
    master : Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``, ``k8s://...``;
        the CLI's is ``engine.spark_master``).
        When a session is already active (e.g. under ``spark-submit`` or ``pyspark``), it is
        reused and only :data:`REQUIRED_CONF` is applied to it.
    app_name : the application name shown by the cluster manager.
    conf : extra Spark settings; they override the local defaults.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    settings: dict[str, str] = {}
    if is_local(master):
        settings.update(local_defaults(master))
        # PySpark starts its Python workers with $PYSPARK_PYTHON (else `python3` on the
        # PATH), not with spark.pyspark.python: point it at this interpreter, which has cib.
        os.environ.setdefault("PYSPARK_PYTHON", settings["spark.pyspark.python"])
    settings.update(REQUIRED_CONF)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if is_local(master) and "spark.log.level" not in (conf or {}):
        spark.sparkContext.setLogLevel("ERROR")
    for key, value in REQUIRED_CONF.items():
        spark.conf.set(key, value)
    return spark
