package io.tracestream.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Runs the writing tasks when the test says so, on the test's thread: every interleaving is the test's choice. */
final class ManualExecutor implements Executor {

    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs tasks, and those they schedule, until none is left. */
    void runAll() {
        Runnable next;
        while ((next = tasks.poll()) != null) {
            next.run();
        }
    }

    int pending() {
        return tasks.size();
    }
}
