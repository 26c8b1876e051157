package org.collab4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.collab4j.engine.Engines;
import org.collab4j.model.CollabBlock;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code tensors}: the lesson's walk through dot products on small tensors, with DJL's NDArrays, and the check
 * that multiplying by a one-hot matrix is the same as looking rows up in an embedding table.
 */
@Command(name = "tensors", mixinStandardHelpOptions = true,
        description = "The lesson's dot products on small tensors (a*b, (a*b).sum(1)) with DJL NDArrays, and"
                + " one-hot x matrix = embedding lookup.")
final class Tensors implements Callable<Integer> {

    @Override
    public Integer call() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            System.out.println("The lesson's tensors (fast.ai: a = tensor([[1., 2], [3, 4]]), b = tensor([[2., 2],"
                    + " [10, 10]])):");
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = manager.create(new float[] {2, 2, 10, 10}, new Shape(2, 2));
            show("a", a);
            show("b", b);
            NDArray product = a.mul(b);
            show("a * b   (element by element: a.mul(b))", product);
            NDArray dots = product.sum(new int[] {1});
            show("(a * b).sum(1)   (one dot product per row: each user's factors · the movie's)", dots);

            System.out.println("\nA dot-product model predicts rating(u, m) = user_factors[u] · movie_factors[m]:");
            NDArray users = manager.create(new float[] {1.0f, 0.5f, 0.1f, 0.2f, 0.9f, 0.4f}, new Shape(2, 3));
            NDArray movies = manager.create(new float[] {0.8f, 0.1f, 0.3f, 0.2f, 1.0f, 0.6f}, new Shape(2, 3));
            show("user_factors (2 users x 3 factors)", users);
            show("movie_factors (2 movies x 3 factors)", movies);
            NDArray pairUsers = manager.create(new long[] {0, 0, 1, 1});
            NDArray pairMovies = manager.create(new long[] {0, 1, 0, 1});
            NDArray predictions = CollabBlock.lookup(users, pairUsers).mul(CollabBlock.lookup(movies, pairMovies))
                    .sum(new int[] {1});
            show("for the pairs (u0, m0), (u0, m1), (u1, m0), (u1, m1): (user rows * movie rows).sum(1)",
                    predictions);
            show("the same as the matrix product user_factors · movie_factorsᵀ, flattened",
                    users.matMul(movies.transpose()).flatten());

            System.out.println("\nAn embedding is a lookup that equals a matrix product with one-hot vectors:");
            NDArray table = manager.arange(0f, 15f).reshape(5, 3).mul(0.1f);
            NDArray ids = manager.create(new long[] {3, 0, 3, 4});
            show("table (5 items x 3 factors)", table);
            show("ids", ids);
            NDArray oneHot = ids.oneHot(5).toType(DataType.FLOAT32, false);
            show("oneHot(ids, 5)", oneHot);
            NDArray viaMatMul = oneHot.matMul(table);
            NDArray viaLookup = CollabBlock.lookup(table, ids);
            show("oneHot · table", viaMatMul);
            show("lookup(table, ids)   (CollabBlock.lookup, what the models use)", viaLookup);
            boolean equal = viaMatMul.contentEquals(viaLookup);
            System.out.println("\none-hot x matrix = embedding lookup: " + equal);
            if (!equal) {
                throw new IllegalStateException("the one-hot product and the lookup differ");
            }
        }
        return 0;
    }

    private static void show(String name, NDArray array) {
        System.out.println("\n" + name + ", shape " + array.getShape() + ":");
        System.out.println(format(array));
    }

    /** The values only, rows on separate lines, like PyTorch prints a small tensor. */
    private static String format(NDArray array) {
        boolean integer = array.getDataType().isInteger();
        Number[] values = array.toArray();
        Shape shape = array.getShape();
        int columns = shape.dimension() == 2 ? (int) shape.get(1) : values.length;
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < values.length; k++) {
            if (k % columns == 0) {
                text.append(k == 0 ? "  [" : "\n   ");
                if (shape.dimension() == 2) {
                    text.append('[');
                }
            }
            text.append(integer ? String.format(java.util.Locale.ROOT, "%3d", values[k].longValue())
                    : String.format(java.util.Locale.ROOT, "%6.2f", values[k].floatValue()));
            boolean rowEnd = (k + 1) % columns == 0;
            text.append(rowEnd ? (shape.dimension() == 2 ? "]" : "") : ",");
        }
        return text.append(']').toString();
    }
}
