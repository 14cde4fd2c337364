package dev.hotfix.operator;

/**
 * Decides the next step for a Hotfix in one phase, from an observation. Handlers may write the
 * target Deployment (through {@link DeploymentWriter}); only the reconciler writes status.
 */
interface PhaseHandler {

  Step handle(Observation observation) throws WriteConflict;
}
