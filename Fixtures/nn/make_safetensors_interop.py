#!/usr/bin/env python3
"""A small file written by the official `safetensors` library (safetensors.torch.save_file), for the reader's
interoperability test. Needs torch and the `safetensors` package, e.g. in a venv made with
`/usr/bin/python3 -m venv --system-site-packages DIR && DIR/bin/pip install safetensors`:

    DIR/bin/python Fixtures/nn/make_safetensors_interop.py
"""
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
tensors = {
    "conv.weight": torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2) / 8 - 1,
    "half": torch.tensor([0.5, -1.25, 3.0e-5, 65504.0], dtype=torch.float16),
    "brain": torch.tensor([1.0, -2.5, 1024.0], dtype=torch.bfloat16),
    "bn.num_batches_tracked": torch.tensor(12345, dtype=torch.int64),
    "double": torch.tensor([[0.1, 0.2]], dtype=torch.float64),
}
save_file(tensors, os.path.join(HERE, "torch_save_file.safetensors"), metadata={"width": "C", "note": "save_file"})
