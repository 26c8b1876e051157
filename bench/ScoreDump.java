import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Every (user, item) score of a saved model, for bench/stacking-probe.py: users and items of TRAIN.csv in ascending
 * numeric id order (numpy's np.unique order), one little-endian float32 row of item scores per user, through
 * {@link Recommender#predict} (what serving computes).
 *
 *   java -cp examples/target/collab4j-examples.jar bench/ScoreDump.java MODEL.c4j TRAIN.csv OUT.f32
 */
public class ScoreDump {
    public static void main(String[] args) throws Exception {
        Ratings train = Ratings.read(Path.of(args[1]), RatingsFormat.MOVIELENS_CSV);
        List<String> users = new ArrayList<>(train.users().ids());
        List<String> items = new ArrayList<>(train.items().ids());
        users.sort(Comparator.comparingLong(Long::parseLong));
        items.sort(Comparator.comparingLong(Long::parseLong));
        Recommender recommender = Recommender.of(TrainedModel.load(Path.of(args[0])));
        ByteBuffer row = ByteBuffer.allocate(4 * items.size()).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])))) {
            for (String user : users) {
                row.clear();
                for (float score : recommender.predict(Collections.nCopies(items.size(), user), items)) {
                    row.putFloat(score);
                }
                out.write(row.array());
            }
        }
        System.out.println(args[2] + ": " + users.size() + " users x " + items.size() + " items");
    }
}
