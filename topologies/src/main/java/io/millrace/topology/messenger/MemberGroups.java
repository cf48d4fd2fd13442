package io.millrace.topology.messenger;

import io.millrace.schemas.messenger.Group;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * In a member's task, the roster of each group they are in, as the group's task sent it after each change: kept
 * while they are in it, dropped when a roster without them arrives. Presence and typing read whom to tell from here.
 */
final class MemberGroups implements Processor<String, Group, Void, Void> {

    private KeyValueStore<String, Group> rosters;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.rosters = context.getStateStore(MessengerStores.MEMBER_GROUPS);
    }

    @Override
    public void process(Record<String, Group> record) {
        String member = record.key();
        Group group = record.value();
        String key = StoreKeys.join(member, group.getGroupId());
        if (GroupRoster.isMember(group, member)) {
            rosters.put(key, group);
        } else {
            rosters.delete(key);
        }
    }
}
