"""Q6: every step verifies, the wrong head and wrong sign are rejected, the experiment is deterministic."""

import sympy as sp

from derive import verify_claim
from derive.calculus.softmax import softmax_head
from derive.model.params import count_by_block
from proofs.q6_transfer import data_files, parameter_table, transfer
from proofs.support.resnet import resnet_basic
from proofs.support.transfer import TransferConfig, run_seed

PROOF = transfer()
SMALL = TransferConfig(latent=4, inputs=8, hidden=8, features=8, source_classes=5, source_per_class=10,
                       target_classes=6, target_per_class=4, test_per_class=3, pretrain_epochs=2, epochs=2,
                       batch=16, seeds=(0,))


def test_wrong_sign_gradient_is_rejected():
    head = softmax_head()
    g, one = head.gradient(head.W[head.i, head.j]), {head.label_sum(): 1}
    wrong = (head.y[head.i] - head.p[head.i]) * head.z[head.j]
    assert verify_claim(g, wrong, hypotheses=one).status == "refuted"
    assert verify_claim(g, wrong, hypotheses=one).status == "refuted"


def test_resnet18_parameter_count():
    assert sum(x.count() for x in resnet_basic()) == 11689512  # torchvision resnet18
    blocks = count_by_block(resnet_basic(classes=200))
    assert blocks["head"] == 512 * 200 + 200
    assert list(blocks) == ["stem", "stage1", "stage2", "stage3", "stage4", "head"]


def test_head_sized_for_the_old_classes_is_rejected():
    head = count_by_block(resnet_basic(classes=200))["head"]
    assert verify_claim(head, sp.Integer(512 * 1000)).status == "refuted"
    assert verify_claim(head, sp.Integer(512 * 1000 + 1000)).status == "refuted"


def test_parameter_table():
    _, counts = parameter_table()
    assert counts["frozen"] == 102600
    assert counts["scratch"] == 11689512 - 513000 + 102600
    assert counts["frozen"] < counts["fine-tune"] < counts["scratch"]


def test_experiment_is_deterministic():
    assert run_seed(SMALL, 0) == run_seed(SMALL, 0)


def test_data_file_lists_every_seed():
    (name, text), = data_files().items()
    assert name.endswith(".dat") and len(text.splitlines()) == 1 + len(TransferConfig().seeds)
