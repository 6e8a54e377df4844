package klm.protocols.hotplug;

import java.util.EnumSet;
import java.util.List;

import klm.kernel.PercpuRwSemaphore.BarrierPoint;
import klm.kernel.PercpuRwSemaphore;
import klm.kernel.Waits;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Expectation;
import klm.verdict.Provenance;
import klm.verdict.Variant;

/**
 * Seed 002: memory hotplug locking, the cpu hotplug lock, and the percpu rw-semaphore that replaced
 * the homebrew construct for both (the page: klm/pages/hotplug.md).
 */
public final class HotplugProtocol {
    private HotplugProtocol() {}

    public static final String NAME = "hotplug";
    static final int CPUS = 3;

    /**
     * Three CPUs: CPU0 offlines memory (offline_pages), CPU1 creates a slab cache
     * (kmem_cache_create), CPU2 onlines a CPU (cpu_up). The cpu hotplug lock is a percpu
     * rw-semaphore, or, for {@code homebrew-both}, the homebrew construct.
     */
    public static final class HotplugRun extends ScenarioRun {
        private final MemoryHotplug mm;

        private final EnumSet<Bug> bugs;

        HotplugRun(EnumSet<Bug> bugs) {
            super(CPUS);
            this.bugs = bugs;
            this.mm = new MemoryHotplug(cpuHotplugLock(), bugs, CPUS);
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        /** DEFINE_STATIC_PERCPU_RWSEM(cpu_hotplug_lock), or the homebrew construct it replaced. */
        private HotplugRwLock cpuHotplugLock() {
            if (has(Bug.HOMEBREW_CPU_HOTPLUG_LOCK)) {
                return new HomebrewHotplugLock("cpu_hotplug_lock", "cpu_add_remove_lock", false);
            } else {
                return new PercpuHotplugLock("cpu_hotplug_lock", CPUS);
            }
        }

        @Override
        protected void task(int cpu) {
            switch (cpu) {
                case 0 -> mm.offlinePages();
                case 1 -> mm.kmemCacheCreate();
                default -> mm.cpuUp();
            }
        }

        @Override
        protected Outcome check() {
            return Outcome.OK;
        }
    }

    /**
     * The percpu rw-semaphore on its own: CPU0 reads, CPU1 writes, each looks for the other inside its critical
     * section ({@code BOTH_INSIDE}). Under stress each looks many times, so that an overlap made
     * by a store-buffering reordering lasts long enough to be seen; Lincheck needs one look.
     */
    public static final class PercpuRwsemRun extends ScenarioRun {
        private final PercpuRwSemaphore sem;
        private final Word readerInside = new Word();
        private final Word writerInside = new Word();
        private final Word overlap = new Word();

        private final EnumSet<Bug> bugs;

        PercpuRwsemRun(EnumSet<Bug> bugs) {
            super(2);
            this.bugs = bugs;
            EnumSet<BarrierPoint> barriers = EnumSet.allOf(BarrierPoint.class);
            if (has(Bug.NO_READER_BARRIER_A)) {
                barriers.remove(BarrierPoint.A); // smp_mb() A in __percpu_down_read_trylock()
            }
            this.sem = new PercpuRwSemaphore("cpu_hotplug_lock", 2, barriers);
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        private void lookFor(Word other) {
            int looks = Waits.bounded() ? 100 : 1;
            for (int i = 0; i < looks; i++) {
                if (other.readOnce() != 0) {
                    overlap.writeOnce(1);
                }
            }
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                sem.percpuDownRead();
                readerInside.writeOnce(1);
                lookFor(writerInside);
                readerInside.writeOnce(0);
                sem.percpuUpRead();
            } else {
                sem.percpuDownWrite();
                writerInside.writeOnce(1);
                lookFor(readerInside);
                writerInside.writeOnce(0);
                sem.percpuUpWrite();
            }
        }

        @Override
        protected Outcome check() {
            return overlap.readOnce() == 0 ? Outcome.OK
                    : Outcome.violation("BOTH_INSIDE", "a reader and the writer of the percpu rw-semaphore were inside together");
        }
    }

    private static final String JC = "klm.jcstress.hotplug.";
    private static final String RECURSIVE_READ_BLIND_SPOT = "both hotplug locks are annotated for lockdep as recursive"
            + " reads (lock_map_acquire_read), and lockdep of 2017 never used a held recursive read as the source of a"
            + " dependency: slab's cpu -> mem order (get_online_cpus(); get_online_mems()) is never recorded, and memory"
            + " hotplug's mem -> cpu order is checked but not stored either, so the cycle is never closed; the seed's"
            + " point: the construct 'evaded the full lock dep coverage'";
    private static final String SC_ONLY = "Lincheck explores sequentially consistent interleavings only; the bug needs the"
            + " reader's increment of read_count to be reordered after its load of block (store buffering), which no"
            + " interleaving produces";
    private static final String HOMEBREW_NO_CYCLE = "there is no deadlock to find: a homebrew writer waiting for readers"
            + " to drain has dropped the inner mutex, so it does not hold back memory hotplug's new read of the cpu"
            + " hotplug lock, and the cycle cannot close; the inversion stayed latent until the cpu hotplug lock became a"
            + " percpu rw-semaphore, whose waiting writer does block new readers";

    public static List<Variant> variants() {
        return List.of(
                Variant.buggy(NAME, "homebrew-both", () -> EnumSet.of(Bug.HOMEBREW_CPU_HOTPLUG_LOCK, Bug.HOMEBREW_MEM_HOTPLUG_LOCK,
                                Bug.CPUS_READ_LOCK_INSIDE, Bug.LRU_ADD_DRAIN_ALL_RELOCKS), bugs -> new HotplugRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("fixed")
                        .summary("both hotplug locks are the homebrew recursive construct; memory hotplug takes mem (write)"
                                + " then cpu (read), slab takes cpu (read) then mem (read)")
                        .kernel("kernel/cpu.c and mm/memory_hotplug.c before v4.13")
                        .lincheck(Expectation.notSeen(HOMEBREW_NO_CYCLE))
                        .jcstress(Expectation.notSeen(HOMEBREW_NO_CYCLE), JC + "HomebrewBothTest")
                        .lockdep(Expectation.notSeen(RECURSIVE_READ_BLIND_SPOT))
                        .explorer(Expectation.clean().because("a complete exploration: no interleaving of this scenario"
                                + " closes the cycle, because the homebrew readers never block on a waiting writer (the"
                                + " writer waits outside the mutex for the refcount); what the others report as not seen,"
                                + " the explorer proves for every execution of the scenario")),
                Variant.buggy(NAME, "homebrew", () -> EnumSet.of(Bug.HOMEBREW_MEM_HOTPLUG_LOCK, Bug.CPUS_READ_LOCK_INSIDE,
                                Bug.LRU_ADD_DRAIN_ALL_RELOCKS), bugs -> new HotplugRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("fixed")
                        .summary("mem_hotplug_lock is still the homebrew construct, cpu_hotplug_lock is already a percpu"
                                + " rw-semaphore (the tree seed 002 was written against): memory hotplug holds mem (write) and"
                                + " asks for cpu (read) while a cpu_up() writer waits for slab's cpu read")
                        .kernel("mm/memory_hotplug.c before 'mm/memory-hotplug: Switch locking to a percpu rwsem' (v4.13),"
                                + " after 'cpu/hotplug: Convert hotplug locking to percpu rwsem'")
                        .story(
                                "CPU0, offlining memory, takes the homebrew mem_hotplug_lock for write: "
                                + "`mutex_lock(memory_add_remove_lock)`, then its inner "
                                + "`mutex_lock(mem_hotplug_lock.lock)`, which it keeps.",
                                "Inside it, CPU0 reads the cpu hotplug lock for the LRU drain "
                                + "(`percpu_down_read(cpu_hotplug_lock)`, then "
                                + "`percpu_up_read(cpu_hotplug_lock)`), and asks for it again for the zonelist "
                                + "rebuild.",
                                "CPU2, onlining a CPU, enters `percpu_down_write(cpu_hotplug_lock)`; CPU1, "
                                + "creating a slab cache, still gets its read in before the writer closes the "
                                + "door, and then asks for `mem_hotplug_lock.lock`, which CPU0 holds.",
                                "CPU2's writer now holds new readers back and waits for CPU1's read to end, so "
                                + "CPU0's second read waits behind it: CPU0 waits for CPU2, CPU2 for CPU1, CPU1 "
                                + "for CPU0 (`circular wait between 3 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "HomebrewTest")
                        .jcstressEffort(2)
                        .lockdep(Expectation.deadlock("CIRCULAR_DEPENDENCY").because("mem_hotplug.lock, the homebrew"
                                + " construct's inner mutex, was an ordinary validated mutex: memory hotplug holds it and"
                                + " takes cpu_hotplug_lock, slab takes cpu_hotplug_lock (a real read of the percpu"
                                + " rw-semaphore) and then that mutex; the report Andrey Ryabinin got in June 2017")),
                Variant.buggy(NAME, "percpu-old-order", () -> EnumSet.of(Bug.CPUS_READ_LOCK_INSIDE, Bug.LRU_ADD_DRAIN_ALL_RELOCKS),
                                bugs -> new HotplugRun(bugs))
                        .provenance(Provenance.INTERMEDIATE)
                        .fixedBy("fixed")
                        .summary("step 1 only: mem_hotplug_lock is a percpu rw-semaphore, still taken before the cpu hotplug lock")
                        .kernel("3f906ba23689 (v4.13), step 1 of 3 (its commit message lists the steps)")
                        .story(
                                "CPU0, offlining memory, takes `percpu_down_write(mem_hotplug_lock)` first, "
                                + "then reads the cpu hotplug lock inside it: "
                                + "`percpu_down_read(cpu_hotplug_lock)` for the LRU drain, and again for the "
                                + "zonelist rebuild.",
                                "CPU2, onlining a CPU, enters `percpu_down_write(cpu_hotplug_lock)`; CPU1, "
                                + "creating a slab cache, still gets its read of the cpu hotplug lock in before "
                                + "the writer closes the door, and then waits in "
                                + "`percpu_down_read(mem_hotplug_lock)` for CPU0's writer.",
                                "CPU2's writer now holds new readers back and waits for CPU1's read to end, so "
                                + "CPU0's second read waits behind it: CPU0 waits for CPU2, CPU2 for CPU1, CPU1 "
                                + "for CPU0 (`circular wait between 3 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "PercpuOldOrderTest")
                        .lockdep(Expectation.deadlock("CIRCULAR_DEPENDENCY")),
                Variant.buggy(NAME, "percpu-recursive-read", () -> EnumSet.of(Bug.LRU_ADD_DRAIN_ALL_RELOCKS), bugs -> new HotplugRun(bugs))
                        .provenance(Provenance.INTERMEDIATE)
                        .fixedBy("fixed")
                        .summary("steps 1 and 2: mem_hotplug_begin() takes cpus_read_lock() first, but __offline_pages() ->"
                                + " lru_add_drain_all() takes it a second time; a cpu_up() writer arriving in between blocks it")
                        .kernel("3f906ba23689 (v4.13), steps 1 and 2 of 3")
                        .story(
                                "CPU0, offlining memory, takes `percpu_down_read(cpu_hotplug_lock)` in "
                                + "mem_hotplug_begin(), as the fix's second step says, then "
                                + "`percpu_down_write(mem_hotplug_lock)`.",
                                "CPU2, onlining a CPU, enters `percpu_down_write(cpu_hotplug_lock)` and waits "
                                + "for CPU0's read to end; new readers now wait behind it.",
                                "CPU0's LRU drain asks for the cpu hotplug lock a second time: the waiting "
                                + "writer holds that read back, and the writer waits for CPU0's first read "
                                + "(`circular wait between 2 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "PercpuRecursiveReadTest")
                        .lockdep(Expectation.deadlock("RECURSIVE_LOCKING")),
                Variant.fixed(NAME, "fixed", () -> EnumSet.noneOf(Bug.class), bugs -> new HotplugRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("3f906ba23689a3f824424c50f3ae937c2c70f676")
                        .summary("all three steps: cpus_read_lock() before percpu_down_write(&mem_hotplug_lock),"
                                + " stop_machine_cpuslocked(), lru_add_drain_all_cpuslocked()")
                        .kernel("3f906ba23689 'mm/memory-hotplug: switch locking to a percpu rwsem' (v4.13)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "FixedTest")
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "percpu-rwsem", () -> EnumSet.noneOf(Bug.class), bugs -> new PercpuRwsemRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .summary("the percpu rw-semaphore with barriers A-D: a reader and a writer are never inside together")
                        .kernel("kernel/locking/percpu-rwsem.c")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "PercpuRwsemTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "percpu-rwsem-no-reader-barrier", () -> EnumSet.of(Bug.NO_READER_BARRIER_A), bugs -> new PercpuRwsemRun(bugs))
                        .provenance(Provenance.MUTATION)
                        .fixedBy("percpu-rwsem")
                        .summary("barrier A dropped from __percpu_down_read_trylock(): the reader's increment of read_count"
                                + " and its load of block form store buffering with the writer's xchg and sum")
                        .kernel("kernel/locking/percpu-rwsem.c without smp_mb() A (litmus SB+poonceonces: Sometimes)")
                        .lincheck(Expectation.notSeen(SC_ONLY))
                        .jcstress(Expectation.violation("BOTH_INSIDE"), JC + "PercpuRwsemNoReaderBarrierTest")
                        .jcstressEffort(6) // a few overlaps per million samples: run six times longer
                        .explorer("tso", Expectation.violation("BOTH_INSIDE").because("x86-TSO: the reader's increment of read_count waits in its store buffer while it loads block, and the writer's sum reads the old count (store buffering, SB+poonceonces)"))
                        .explorer("ra", Expectation.violation("BOTH_INSIDE").because("release/acquire: neither the reader's increment of read_count nor the writer's store of block is in the other CPU's view when it loads, so both read the old value (store buffering, SB+poonceonces)"))
                        .story(
                                "CPU0's reader increments its read_count and the store waits in its store buffer "
                                + "(`store buffered: cpu_hotplug_lock.readCount[0] = 1`); without barrier A nothing drains "
                                + "it before `percpu_down_read(cpu_hotplug_lock)` loads block, still 0.",
                                "CPU1's writer sets block with its fully ordered xchg in "
                                + "`percpu_down_write(cpu_hotplug_lock)` and waits for the readers to drain "
                                + "(`waits for cpu_hotplug_lock (write)`): the sum it reads from memory is 0, because the "
                                + "increment has not left CPU0's buffer.",
                                "Both are inside: the reader's stores reach memory only after that check "
                                + "(`[store buffer] write readerInside`), and the writer's `read readerInside` sees it "
                                + "(`overlap = 1`). Barrier A drains the increment before the load: one of the two then "
                                + "sees the other.")
                        .lockdep(Expectation.notSeen("a missing memory barrier is not a lock order: lockdep sees the same"
                                + " acquisitions with or without it")));
    }
}
