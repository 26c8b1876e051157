package org.collab4j.spark;

import org.apache.spark.broadcast.Broadcast;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;

/**
 * One {@link Recommender} per broadcast model per JVM: the executor's tasks (one per core) share it, which is
 * safe because a recommender is immutable. Building one copies and transposes the weights, so it is done once,
 * not per task or per partition. Only the most recent model is kept, so that a long-lived executor running one
 * job after another does not hold on to old models.
 *
 * <p>The key is the broadcast value itself (its identity), not the broadcast's id: ids restart at 0 in every new
 * {@code SparkContext}, so in a JVM that outlives a context (the driver in local mode, a test run) an id alone
 * would hand out another model's recommender.
 */
final class ExecutorRecommenders {

    private static TrainedModel cachedModel;
    private static Recommender cached;

    private ExecutorRecommenders() {}

    /**
     * Returns the recommender over a broadcast model, building it on first use in this JVM.
     *
     * @param model the broadcast model
     * @return the shared recommender
     */
    static synchronized Recommender get(Broadcast<TrainedModel> model) {
        TrainedModel value = model.value();
        if (cached == null || cachedModel != value) {
            cached = Recommender.of(value);
            cachedModel = value;
        }
        return cached;
    }
}
