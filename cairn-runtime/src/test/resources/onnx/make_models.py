#!/usr/bin/python3
"""Builds the tiny ONNX models the runtime tests use. Run with Debian's python3-onnx:
    apt-get install -y python3-onnx && /usr/bin/python3 make_models.py
The outputs are committed next to this script, so tests never download anything."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]

# logistic.onnx: probability = sigmoid(features @ W + b), features float [N, 3] -> probability float [N, 1]
W = np.array([[0.5], [-1.25], [2.0]], dtype=np.float32)
B = np.array([0.1], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["features", "W"], ["z0"]),
     helper.make_node("Add", ["z0", "B"], ["z"]),
     helper.make_node("Sigmoid", ["z"], ["probability"])],
    "logistic",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])],
    initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")])
model = helper.make_model(graph, opset_imports=OPSET, producer_name="cairn-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "logistic.onnx")

# add.onnx: total = a + b * 2, inputs a, b float [N, 1] -> total float [N, 1]
TWO = np.array([[2.0]], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Mul", ["b", "two"], ["b2"]),
     helper.make_node("Add", ["a", "b2"], ["total"])],
    "add",
    [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 1]),
     helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 1])],
    [helper.make_tensor_value_info("total", TensorProto.FLOAT, ["N", 1])],
    initializer=[numpy_helper.from_array(TWO, "two")])
model = helper.make_model(graph, opset_imports=OPSET, producer_name="cairn-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "add.onnx")
print("wrote logistic.onnx and add.onnx")
