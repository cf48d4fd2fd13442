package io.millrace.api.messenger;

import io.javalin.http.Context;

/**
 * Whether the caller may read a user's or a conversation's data: the one place every messenger read
 * asks, so that bearer-token checks (a user reads only their own inbox, search and presence; a
 * conversation only its members) go here and nowhere else.
 */
public interface ReadAccess {

    /** Refuses (403) unless the caller is {@code user}. */
    void requireUser(Context ctx, String user);

    /** Refuses (403) unless the caller may read {@code conversation}. */
    void requireConversation(Context ctx, String conversation);

    /** Until bearer tokens exist, every caller is trusted. */
    ReadAccess UNAUTHENTICATED = new ReadAccess() {
        @Override
        public void requireUser(Context ctx, String user) {
        }

        @Override
        public void requireConversation(Context ctx, String conversation) {
        }
    };
}
