# Recall site: dtopaloglou/petal_test app/src/core/api/auth/routes.py (user_login), the async login route calls authenticate_user (src.core.auth), which checks the password with bcrypt.checkpw (src.core.security) after a sync SQLAlchemy lookup.
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from src.core.auth import authenticate_user, create_access_token, create_refresh_token
from src.core.db import models
from src.core.db.schema import Token
from src.core.db.session import get_db

auth_router = APIRouter(prefix="/auth", tags=["auth"], include_in_schema=False)


@auth_router.post("/login", response_model=Token, summary="Log in with username and password")
async def user_login(
    form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)
):
    account: models.User = authenticate_user(db, form.username, form.password)  # recall: PAR602

    if account is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )

    return Token(
        access_token=create_access_token(sub=form.username),
        refresh_token=create_refresh_token(sub=form.username),
        token_type="Bearer",
    )
