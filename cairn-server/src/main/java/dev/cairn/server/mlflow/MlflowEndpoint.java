package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One MLflow RPC: reads its request message and returns its response message. */
@FunctionalInterface
interface MlflowEndpoint {

    ObjectNode handle(MlflowRequest request);
}
