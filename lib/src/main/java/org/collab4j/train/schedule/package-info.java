/** Learning-rate and momentum schedules, as DJL {@link ai.djl.training.tracker.Tracker}s. */
package org.collab4j.train.schedule;
