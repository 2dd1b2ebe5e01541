"""One device against two replicas of ``tf.distribute.MirroredStrategy``: same training.

The comparisons run in a fresh process (``replicas.py`` beside this file), which splits the
CPU into two logical devices before TensorFlow initializes. Each model trains a few SGD steps
on the same global batches from the same initial weights, on one device and on two replicas.
Dropout, modality dropout and augmentation are off in every model compared: their random
draws differ per replica by design, so with them on the two runs are not meant to agree.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.scale

SCRIPT = Path(__file__).with_name("replicas.py")
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def results():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                          timeout=600, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["fusion_early", "fusion_early_without_audio",
                                  "fusion_intermediate_auxiliary", "bimodal_autoencoder"])
def test_two_replicas_train_the_same_weights_as_one_device(results, case):
    result = results[case]
    assert result["weight_change"] > 1e-3  # the steps moved the weights
    assert result["weight_difference"] < TOLERANCE
    assert result["loss_two_replicas"] == pytest.approx(result["loss_one_device"], rel=1e-5)


def test_synchronized_batch_statistics_matter_here(results):
    # Early fusion normalizes the audio with batch statistics: per-replica statistics would
    # give visibly different weights, so the equality above tests the synchronization.
    assert results["fusion_early"]["weight_change"] > 100 * TOLERANCE


@pytest.mark.parametrize("case", ["dual_encoder_gather", "dual_encoder_labels_gather"])
def test_gathered_contrastive_loss_and_gradients_equal_one_device(results, case):
    # SGD: equal weights after the steps mean equal gradients at every step.
    result = results[case]
    assert result["weight_difference"] < TOLERANCE
    assert result["loss_two_replicas"] == pytest.approx(result["loss_one_device"], rel=1e-5)


def test_contrastive_loss_without_gather_sees_fewer_negatives(results):
    result = results["dual_encoder_no_gather"]
    # Half the negatives per replica: a smaller loss, different gradients.
    assert result["loss_two_replicas"] < result["loss_one_device"] - 0.1
    assert result["weight_difference"] > 1e-3
