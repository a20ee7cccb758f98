package io.rollcall.store;

/** A stored user with the relations its representation shows ({@link UserRelations#NOT_READ} when none are). */
public record UserView(StoredResource stored, UserRelations relations) {

    /** A user read with {@link UserRepository#computed} relations in {@link StoredResource#related()}. */
    public static UserView of(StoredResource stored) {
        return new UserView(stored, UserRelations.fromJson(stored.related()));
    }
}
