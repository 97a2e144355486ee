"""Loads a Deae.MLNet safetensors export into the reference PyTorch class and compares its outputs.

The reference class is gyhandy/Group-Supervised-Learning's model_share.py (Generator_fc for colour
models, Generator_fc_dsprites for sprites); pass the folder of a clone of that repository. The
expected outputs come from Deae.MLNet (PyTorchReferenceLoadTests writes both files):

    python3 reference_load_check.py --reference-repo DIR --weights W.safetensors --io IO.safetensors \
        --class Generator_fc --nc 3 --conv-dim 64 --repeat-num 1 --z-dim 100

Prints one JSON line (the largest differences) and exits 1 when one exceeds --tolerance.
It needs only torch (Debian: python3-torch); safetensors files are read here because the
`safetensors` package is not in Debian 12. The format: an 8-byte little-endian header length, a
JSON header (name -> dtype, shape, data_offsets), then the raw little-endian tensor bytes.
"""
import argparse
import json
import struct
import sys

import torch

DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8), "I64": (torch.int64, 8), "I32": (torch.int32, 4), "F16": (torch.float16, 2)}


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = bytearray(f.read())
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype, size = DTYPES[entry["dtype"]]
        flat = torch.frombuffer(data, dtype=dtype, count=(end - start) // size, offset=start)
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-repo", required=True, help="folder holding model_share.py")
    parser.add_argument("--weights", required=True)
    parser.add_argument("--io", required=True, help="safetensors with x (input images), z and image (Deae.MLNet's outputs)")
    parser.add_argument("--class", dest="cls", default="Generator_fc")
    parser.add_argument("--nc", type=int, default=3)
    parser.add_argument("--conv-dim", type=int, default=64)
    parser.add_argument("--repeat-num", type=int, default=1)
    parser.add_argument("--z-dim", type=int, default=100)
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest difference relative to max(1, largest output)")
    args = parser.parse_args()

    sys.path.insert(0, args.reference_repo)
    import model_share  # the reference class, unmodified

    net = getattr(model_share, args.cls)(nc=args.nc, conv_dim=args.conv_dim, repeat_num=args.repeat_num, z_dim=args.z_dim)
    weights = read_safetensors(args.weights)
    # strict: every key of the class's state dict is in the file and the file has no other key.
    net.load_state_dict(weights, strict=True)
    net.train()  # the reference never leaves training mode: its instance norms use batch statistics
    io = read_safetensors(args.io)
    with torch.no_grad():
        image, z = net(io["x"])
    result = {
        "torch": torch.__version__,
        "class": args.cls,
        "keys": len(weights),
        "max_abs_diff_z": (z - io["z"]).abs().max().item(),
        "max_abs_diff_image": (image - io["image"]).abs().max().item(),
        "z_scale": io["z"].abs().max().item(),
        "image_scale": io["image"].abs().max().item(),
    }
    print(json.dumps(result))
    # Float32 sums in another order (oneDNN against libtorch's kernels): relative to the outputs' size.
    agree = all(result[f"max_abs_diff_{k}"] <= args.tolerance * max(1.0, result[f"{k}_scale"]) for k in ("z", "image"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
