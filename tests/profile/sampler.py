"""A stdlib-only sampling profiler: runs a script in the main thread while another thread reads
its stack through sys._current_frames() every millisecond, then writes py-spy raw collapsed
stacks (`func (path:line);... COUNT`). Usage: sampler.py OUT.txt SCRIPT.py"""
import collections
import os
import runpy
import sys
import threading
import time


def main():
    out, script = sys.argv[1], os.path.abspath(sys.argv[2])
    target = threading.get_ident()
    counts = collections.Counter()
    done = threading.Event()

    def sample():
        while not done.is_set():
            frame = sys._current_frames().get(target)
            stack = []
            while frame is not None:
                code = frame.f_code
                stack.append(f"{code.co_name} ({code.co_filename}:{frame.f_lineno})")
                frame = frame.f_back
            if stack:
                counts[";".join(reversed(stack))] += 1
            time.sleep(0.001)

    sys.setswitchinterval(0.0002)  # let the sampler in while the script holds the GIL
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        done.set()
        thread.join()
    with open(out, "w", encoding="utf-8") as file:
        for stack, count in sorted(counts.items()):
            file.write(f"{stack} {count}\n")


if __name__ == "__main__":
    main()
