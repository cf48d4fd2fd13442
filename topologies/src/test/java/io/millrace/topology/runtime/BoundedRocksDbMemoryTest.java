package io.millrace.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedRocksDbMemoryTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void theMessengersStoresStarveUnderTheOldDefaultAndNotUnderTheNewOne() {
        int messengerStores = 15 * 6; // 15 stores per task, 6 partitions
        assertThat(BoundedRocksDbMemory.starved(messengerStores, 128 * MIB)).as("256 MiB budget, half for memtables").isTrue();
        assertThat(BoundedRocksDbMemory.starved(messengerStores, BoundedRocksDbMemory.DEFAULT_TOTAL_BYTES / 2)).isFalse();
    }

    @Test
    void aBudgetIsStarvedOnlyBelowTheMinimumPerStore() {
        assertThat(BoundedRocksDbMemory.starved(10, 10 * BoundedRocksDbMemory.MIN_MEMTABLE_BYTES_PER_STORE)).isFalse();
        assertThat(BoundedRocksDbMemory.starved(11, 10 * BoundedRocksDbMemory.MIN_MEMTABLE_BYTES_PER_STORE)).isTrue();
    }
}
