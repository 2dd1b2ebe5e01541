"""Multi-worker data-parallel training on one machine: two worker processes on localhost.

``python examples/multiworker.py`` starts two workers of a ``tf.distribute``
``MultiWorkerMirroredStrategy`` cluster, each in a process of its own, talking over loopback
addresses (127.0.0.1) on two free ports, waits for both (120 s at most) and prints what each
reported. On several machines the only change is the ``TF_CONFIG`` each worker reads: the
cluster's addresses and the worker's own index.

Each worker builds the same model inside the strategy's scope and trains it with
``mmtutor.training.fit(..., strategy=strategy)``. Keras 3's own ``fit`` fails under this
strategy (keras-team/keras#20585, "Attempt to convert a value (PerReplica...)"), so the
package trains with a loop over ``strategy.run`` there; ``--keras-fit`` calls ``model.fit``
instead, to see the upstream failure. The workers' data are the same arrays, shuffled with one
seed; the strategy gives each worker its share of every global batch.

Options: ``--epochs``, ``--timeout``; ``--worker INDEX`` runs one worker (the launcher uses
it, with ``TF_CONFIG`` set).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time

GLOBAL_BATCH = 32


def free_ports(count):
    """``count`` free TCP ports on the loopback interface (closed again before use)."""
    sockets = []
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def tf_config(ports, index):
    """The ``TF_CONFIG`` of worker ``index`` in a cluster of workers on localhost."""
    return json.dumps({"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
                       "task": {"type": "worker", "index": index}})


def _data(num=256, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    labels = np.arange(num) % 10
    image = rng.uniform(size=(num, 8, 8, 1)).astype("float32") * 0.5
    image[np.arange(num), labels % 8, labels // 8 + 2, 0] += 1.0  # a class-dependent pixel
    audio = (-6.0 + rng.normal(size=(num, 6, 8)) + labels[:, None, None] / 3.0)
    return {"image": image, "audio": audio.astype("float32")}, labels.astype("int64")


def run_worker(epochs, keras_fit):
    """One worker: join the cluster named by TF_CONFIG, train, print one JSON line."""
    import tensorflow as tf

    # The strategy first: it sets up the collective operations before any other TF op.
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    import keras

    from mmtutor.models import FusionClassifier
    from mmtutor.training import fit

    keras.utils.set_random_seed(0)  # the same initial weights and shuffling on every worker
    inputs, labels = _data()
    split = 192

    def make():
        return FusionClassifier({"image": (8, 8, 1), "audio": (6, 8)}, fusion="early",
                                hidden_units=16)

    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    report = {"worker": index, "replicas": strategy.num_replicas_in_sync}
    train = ({m: x[:split] for m, x in inputs.items()}, labels[:split])
    validation = ({m: x[split:] for m, x in inputs.items()}, labels[split:])
    if keras_fit:
        with strategy.scope():
            model = make()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        try:
            model.fit(*train, epochs=epochs, batch_size=GLOBAL_BATCH, verbose=0)
            report["keras_fit"] = "trained"
        except Exception as error:  # noqa: BLE001 (the upstream failure is what we report)
            report["keras_fit"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    else:
        result = fit(make, train, validation=validation, epochs=epochs,
                     batch_size=GLOBAL_BATCH, learning_rate=0.01, strategy=strategy)
        report.update(loss=result.history["loss"], val_loss=result.history["val_loss"],
                      best_epoch=result.best_epoch, seconds=round(result.seconds, 2))
    print(json.dumps(report), flush=True)


def launch(epochs, timeout, keras_fit=False, workers=2):
    """Start the workers, wait for them (``timeout`` seconds at most), return their reports.

    Raises:
        RuntimeError: if a worker fails or the time runs out (every worker is then ended).
    """
    ports = free_ports(workers)
    command = [sys.executable, os.path.abspath(__file__), "--worker", "--epochs", str(epochs)]
    if keras_fit:
        command.append("--keras-fit")
    processes = []
    for index in range(workers):
        env = dict(os.environ, TF_CONFIG=tf_config(ports, index),
                   TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"))
        processes.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + timeout
    outputs = []
    try:
        for process in processes:
            left = max(deadline - time.monotonic(), 0.1)
            outputs.append(process.communicate(timeout=left))
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"the workers did not finish within {timeout} s") from error
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    reports = []
    for process, (out, err) in zip(processes, outputs, strict=True):
        if process.returncode != 0:
            raise RuntimeError(f"a worker failed (exit code {process.returncode}):\n"
                               f"{err[-3000:]}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help="run one worker (TF_CONFIG)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--keras-fit", action="store_true",
                        help="train with Keras's model.fit (fails upstream, keras#20585)")
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.epochs, args.keras_fit)
        return
    start = time.perf_counter()
    for report in launch(args.epochs, args.timeout, keras_fit=args.keras_fit):
        print(json.dumps(report))
    print(f"two workers, {time.perf_counter() - start:.1f} s in all")


if __name__ == "__main__":
    main()
