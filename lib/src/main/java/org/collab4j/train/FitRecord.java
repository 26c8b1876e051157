package org.collab4j.train;

/**
 * One call of a fit method, kept as provenance.
 *
 * @param schedule the schedule, e.g. {@code "one-cycle"} or {@code "constant"}
 * @param epochs the number of epochs
 * @param learningRate the (peak) learning rate
 */
public record FitRecord(String schedule, int epochs, float learningRate) {}
