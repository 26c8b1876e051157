package org.collab4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.als.AlsEngine;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.step.DenseStep;
import org.collab4j.train.step.DeviceEngine;
import org.collab4j.train.step.HostEngine;
import org.collab4j.train.step.SideFeatures;
import org.collab4j.train.step.StepPlan;
import org.collab4j.train.step.TouchedRowStep;
import org.collab4j.train.step.TrainingStep;

import java.util.List;

/** Builds the engine a learner's {@link StepPlan} names: the one place that knows every engine's constructor. */
final class StepFactory {

    private StepFactory() {}

    /**
     * Makes the step the plan names.
     *
     * @param plan the plan
     * @param model the model (the DJL steps' parameter store)
     * @param block the block
     * @param optimizer the optimizer
     * @param parameters the block's parameters
     * @param objective the objective (a {@link RatingObjective} for the rating steps, {@link Ials} for ALS)
     * @param train the training examples
     * @param batchSize the batch size
     * @param dataManager the manager that holds the examples copied to the device
     * @param seed the seed of the host engine's negatives
     * @param hostThreads the threads of the host and ALS engines
     * @param userFeatures the users' side features, or {@code null} (the host and device engines train them)
     * @param itemFeatures the items' side features, or {@code null}
     * @return the step
     */
    static TrainingStep newStep(StepPlan plan, Model model, CollabBlock block, CollabOptimizer optimizer,
            List<Parameter> parameters, Objective objective, Ratings train, int batchSize, NDManager dataManager,
            long seed, int hostThreads, SideFeatures userFeatures, SideFeatures itemFeatures) {
        switch (plan.kind()) {
            case ALS:
                return new AlsEngine(block, (Ials) objective, train, hostThreads);
            case RANKING:
            case HOST:
                return new HostEngine(block, optimizer, objective, plan.touchedRows(), train, batchSize, hostThreads,
                        seed, userFeatures, itemFeatures);
            case DEVICE_RANKING:
            case DEVICE:
                return new DeviceEngine(model, block, optimizer, parameters, objective, plan.touchedRows(), train,
                        batchSize, dataManager, userFeatures, itemFeatures);
            case TOUCHED:
                return new TouchedRowStep(model, block, optimizer, parameters, (RatingObjective) objective, train,
                        batchSize, dataManager);
            default:
                return new DenseStep(model, block, optimizer, parameters, (RatingObjective) objective, train,
                        batchSize, dataManager);
        }
    }
}
