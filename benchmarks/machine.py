"""A one-line description of the machine a benchmark ran on, for RESULTS.md."""

import os
import platform
import sys
from pathlib import Path


def describe_machine() -> str:
    """CPU model, core count, memory, OS and Python version."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    python = sys.version.split()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {python}"
    )


if __name__ == "__main__":
    print(describe_machine())
