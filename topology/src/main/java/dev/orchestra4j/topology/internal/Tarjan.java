package dev.orchestra4j.topology.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** Tarjan's strongly connected components, iterative so that long chains cannot overflow the stack. */
final class Tarjan {
    private final int[][] successors;
    private final int[] order;
    private final int[] low;
    private final boolean[] onStack;
    private final Deque<Integer> stack = new ArrayDeque<>();
    private final List<List<Integer>> components = new ArrayList<>();
    private int counter;

    Tarjan(int[][] successors) {
        this.successors = successors;
        this.order = new int[successors.length];
        this.low = new int[successors.length];
        this.onStack = new boolean[successors.length];
        Arrays.fill(order, -1);
        for (int node = 0; node < successors.length; node++) {
            if (order[node] < 0) {
                visit(node);
            }
        }
    }

    /** Every component, trivial ones included, in reverse topological order. */
    List<List<Integer>> components() {
        return components;
    }

    private void visit(int root) {
        Deque<int[]> frames = new ArrayDeque<>();
        enter(root, frames);
        while (!frames.isEmpty()) {
            int[] frame = frames.peek();
            int node = frame[0];
            if (frame[1] < successors[node].length) {
                int next = successors[node][frame[1]++];
                if (order[next] < 0) {
                    enter(next, frames);
                } else if (onStack[next]) {
                    low[node] = Math.min(low[node], order[next]);
                }
                continue;
            }
            frames.pop();
            if (!frames.isEmpty()) {
                int parent = frames.peek()[0];
                low[parent] = Math.min(low[parent], low[node]);
            }
            if (low[node] == order[node]) {
                pop(node);
            }
        }
    }

    private void enter(int node, Deque<int[]> frames) {
        order[node] = counter;
        low[node] = counter;
        counter++;
        stack.push(node);
        onStack[node] = true;
        frames.push(new int[] {node, 0});
    }

    private void pop(int root) {
        List<Integer> component = new ArrayList<>();
        int member;
        do {
            member = stack.pop();
            onStack[member] = false;
            component.add(member);
        } while (member != root);
        components.add(component);
    }
}
