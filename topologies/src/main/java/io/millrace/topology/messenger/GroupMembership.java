package io.millrace.topology.messenger;

import io.millrace.schemas.common.Rejected;
import io.millrace.schemas.messenger.Group;
import io.millrace.schemas.messenger.GroupCommand;
import io.millrace.topology.runtime.Outcome;
import io.millrace.topology.runtime.Rejections;
import io.millrace.topology.runtime.Violation;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies group commands to the groups store, in the task that also sequences the group's messages; outputs rejections. */
final class GroupMembership implements Processor<String, GroupCommand, String, Rejected> {

    private final Rejections rejections;
    private ProcessorContext<String, Rejected> context;
    private KeyValueStore<String, Group> groups;
    private KeyValueStore<String, Long> sequences;

    GroupMembership(Rejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<String, Rejected> context) {
        this.context = context;
        this.groups = context.getStateStore(MessengerStores.GROUPS);
        this.sequences = context.getStateStore(MessengerStores.CONVERSATION_SEQUENCES);
    }

    @Override
    public void process(Record<String, GroupCommand> record) {
        GroupCommand command = record.value();
        if (!command.getGroupId().equals(record.key())) {
            // Elsewhere than the group's partition, the command would change a copy no message ever reads.
            context.forward(record.withValue(rejections.reject(new Violation("WRONG_KEY", "group commands are keyed by their groupId"),
                    MessengerTopics.GROUP_COMMANDS, command, context)));
            return;
        }
        Long lastSequence = sequences.get(command.getGroupId());
        Outcome<Group> verdict = GroupRoster.apply(groups.get(command.getGroupId()), command, (lastSequence == null ? 0 : lastSequence) + 1);
        if (!verdict.isRejected()) {
            groups.put(command.getGroupId(), verdict.accepted());
        } else {
            context.forward(record.withValue(rejections.reject(verdict.violation(), MessengerTopics.GROUP_COMMANDS, command, context)));
        }
    }
}
