# Recall site: nsidnev/fastapi-realworld-example-app app/api/routes/authentication.py (login), the async login route verifies the bcrypt hash through a model method (UserInDB.check_password -> passlib) on the event loop.
from fastapi import APIRouter, Body, Depends, HTTPException
from starlette.status import HTTP_400_BAD_REQUEST

from app.api.dependencies.database import get_repository
from app.core.config import get_app_settings
from app.core.settings.app import AppSettings
from app.db.errors import EntityDoesNotExist
from app.db.repositories.users import UsersRepository
from app.models.schemas.users import UserInLogin, UserInResponse, UserWithToken
from app.resources import strings
from app.services import jwt

router = APIRouter()


@router.post("/login", response_model=UserInResponse, name="auth:login")
async def login(
    credentials: UserInLogin = Body(..., embed=True, alias="user"),
    users: UsersRepository = Depends(get_repository(UsersRepository)),
    settings: AppSettings = Depends(get_app_settings),
) -> UserInResponse:
    refused = HTTPException(
        status_code=HTTP_400_BAD_REQUEST,
        detail=strings.INCORRECT_LOGIN_INPUT,
    )

    try:
        account = await users.get_user_by_email(email=credentials.email)
    except EntityDoesNotExist as missing:
        raise refused from missing

    if not account.check_password(credentials.password):  # recall: PAR602
        raise refused

    token = jwt.create_access_token_for_user(
        account,
        str(settings.secret_key.get_secret_value()),
    )
    return UserInResponse(
        user=UserWithToken(
            username=account.username,
            email=account.email,
            bio=account.bio,
            image=account.image,
            token=token,
        ),
    )
