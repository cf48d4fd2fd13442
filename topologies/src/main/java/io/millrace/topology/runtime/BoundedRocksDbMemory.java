package io.millrace.topology.runtime;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every RocksDB store of the JVM under one off-heap budget: a shared block cache that also
 * accounts for memtables (write buffer manager) and index/filter blocks. Without it each store
 * sizes its own caches and a JVM with many stores grows off-heap without bound.
 *
 * <p>The memtable half of the budget is shared by every store of every pipeline (a store per task: the messenger alone
 * opens 90). When it is too small for their number, the write buffer manager is always over its limit and flushes
 * whichever memtable is being written, however small: measured on the messenger with 256 MiB, 1,887 flushes of 110 KB
 * on average in one bench run, and writes stopped 2,371 times waiting for them ("Stopping writes because we have 2
 * immutable memtables"), seen from outside as a pipeline frozen for 15–25 s. With 1 GiB: no flush in the same run. So
 * the default is 1 GiB, each memtable grows in 256 KiB arena blocks (not write_buffer_size / 8 = 2 MiB: an idle
 * store's memtable then costs 256 KiB of the budget, not 2 MiB), a store may have 3 memtables (2 waiting for a flush),
 * and a budget below {@link #MIN_MEMTABLE_BYTES_PER_STORE} per store is logged as a warning naming the setting.
 * RocksDB's own warnings (write stalls and stops) go to the LOG file in each store's directory.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String TOTAL_BYTES_CONFIG = "millrace.rocksdb.total.bytes";
    public static final long DEFAULT_TOTAL_BYTES = 1024L * 1024 * 1024;
    static final long MIN_MEMTABLE_BYTES_PER_STORE = 4L * 1024 * 1024;
    private static final double MEMTABLE_SHARE = 0.5;
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final long ARENA_BLOCK_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BoundedRocksDbMemory.class);

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static long memtableBytes;
    private static final AtomicInteger STORES_OPENED = new AtomicInteger();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private static synchronized void init(long totalBytes) {
        if (cache == null) {
            memtableBytes = (long) (totalBytes * MEMTABLE_SHARE);
            cache = new LRUCache(totalBytes, -1, false, HIGH_PRIORITY_SHARE);
            writeBufferManager = new WriteBufferManager(memtableBytes, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(TOTAL_BYTES_CONFIG);
        init(configured == null ? DEFAULT_TOTAL_BYTES : Long.parseLong(configured.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
        options.setMaxWriteBufferNumber(3);
        options.setArenaBlockSize(ARENA_BLOCK_BYTES);
        options.setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        warnIfStarved(STORES_OPENED.incrementAndGet());
    }

    /** Warns once when the stores opened so far share less than the minimum memtable budget each. */
    static boolean starved(int stores, long memtableBudget) {
        return memtableBudget / Math.max(1, stores) < MIN_MEMTABLE_BYTES_PER_STORE;
    }

    private static void warnIfStarved(int stores) {
        if (starved(stores, memtableBytes) && WARNED.compareAndSet(false, true)) {
            LOG.warn("{} RocksDB stores share {} MiB of memtables ({} of the RocksDB budget): under {} MiB per store, memtables are "
                            + "flushed while tiny and writes stop waiting for the flushes (a pipeline that looks frozen). Raise "
                            + "--rocksdb-memory-mb (MILLRACE_ROCKSDB_MEMORY_MB) to at least {} MiB for the stores opened so far.", stores,
                    memtableBytes >> 20, MEMTABLE_SHARE, MIN_MEMTABLE_BYTES_PER_STORE >> 20,
                    (long) (stores * MIN_MEMTABLE_BYTES_PER_STORE / MEMTABLE_SHARE) >> 20);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        STORES_OPENED.decrementAndGet();
        // The cache and write buffer manager are shared by all stores and live as long as the JVM.
    }
}
