// Rt.java — a Java program for tests/t_runtimes.sh: a thread pool, a
// signal handler (sun.misc.Signal), a child process, file I/O, and the
// JVM's own use of signals (implicit null checks fault and are caught as
// NullPointerException once the code is compiled).  The output is the same
// natively and under runsel.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Rt {
    static int len(String s) { return s.length(); }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> parts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final int k = i;
            parts.add(pool.submit(() -> {
                long s = 0;
                for (int j = 0; j < 1_000_000; j++) s += (j ^ k) & 7;
                return s;
            }));
        }
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        pool.shutdown();
        System.out.println("threads: total " + total);

        CountDownLatch got = new CountDownLatch(1);
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> got.countDown());
        sun.misc.Signal.raise(new sun.misc.Signal("USR1"));
        got.await();
        System.out.println("signal: handler ran");

        Process p = new ProcessBuilder("/bin/sh", "-c", "echo from sh; exit 5").start();
        String out = new String(p.getInputStream().readAllBytes());
        System.out.println("child: " + out.trim() + " status " + p.waitFor());

        Path f = Files.createTempFile("rt-java", ".txt");
        Files.writeString(f, "written by Rt\n");
        System.out.print("files: " + Files.readString(f));
        Files.delete(f);

        int npe = 0;
        String[] maybe = {"x", null};
        for (int i = 0; i < 200_000; i++) {
            try { len(maybe[i & 1]); } catch (NullPointerException e) { npe++; }
        }
        System.out.println("null checks: " + npe + " caught");
    }
}
