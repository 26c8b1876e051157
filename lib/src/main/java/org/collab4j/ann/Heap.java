package org.collab4j.ann;

import java.util.Arrays;

/** A binary min-heap of (key, id) pairs on two arrays, growing as needed: the graph search's queues. */
final class Heap {

    private float[] keys;
    private int[] ids;
    private int size;

    Heap(int capacity) {
        keys = new float[Math.max(4, capacity)];
        ids = new int[keys.length];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    float topKey() {
        return keys[0];
    }

    int topId() {
        return ids[0];
    }

    void push(float key, int id) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        int n = size++;
        while (n > 0) {
            int parent = (n - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[n] = keys[parent];
            ids[n] = ids[parent];
            n = parent;
        }
        keys[n] = key;
        ids[n] = id;
    }

    /** Removes the smallest pair (read it first with {@link #topKey()} and {@link #topId()}). */
    void pop() {
        float key = keys[--size];
        int id = ids[size];
        int n = 0;
        while (true) {
            int child = 2 * n + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (keys[child] >= key) {
                break;
            }
            keys[n] = keys[child];
            ids[n] = ids[child];
            n = child;
        }
        if (size > 0) {
            keys[n] = key;
            ids[n] = id;
        }
    }

    float key(int n) {
        return keys[n];
    }

    int id(int n) {
        return ids[n];
    }
}
