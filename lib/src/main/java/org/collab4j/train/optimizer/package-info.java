/**
 * Optimizers whose learning rate and momentum a schedule can change at every step (DJL's own optimizers fix
 * momentum and β1 when they are built, which rules out fast.ai's one-cycle policy).
 */
package org.collab4j.train.optimizer;
