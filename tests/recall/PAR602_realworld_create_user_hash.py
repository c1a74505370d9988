# Recall site: nsidnev/fastapi-realworld-example-app app/db/repositories/users.py (UsersRepository.create_user), an async repository method hashes the new password (UserInDB.change_password -> passlib bcrypt) before the insert.
from app.db.queries.queries import queries
from app.db.repositories.base import BaseRepository
from app.models.domain.users import UserInDB


class UsersRepository(BaseRepository):
    async def create_user(
        self,
        *,
        username: str,
        email: str,
        password: str,
    ) -> UserInDB:
        account = UserInDB(username=username, email=email)
        account.change_password(password)  # recall: PAR602

        async with self.connection.transaction():
            row = await queries.create_new_user(
                self.connection,
                username=account.username,
                email=account.email,
                salt=account.salt,
                hashed_password=account.hashed_password,
            )

        return account.copy(update=dict(row))
