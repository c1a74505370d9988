# Recall site: CinnamonPiee/FastMessagesService src/routers/auth.py (register), a FastAPI async endpoint hashes the password with passlib's bcrypt CryptContext on the event loop.
from fastapi import APIRouter, Depends
from passlib.context import CryptContext
from sqlalchemy.ext.asyncio import AsyncSession

from src.crud import create_user
from src.database import get_db
from src.schemas import UserCreate

hasher = CryptContext(schemes=["bcrypt"], deprecated="auto")
router = APIRouter()


@router.post("/register")
async def register(payload: UserCreate, db: AsyncSession = Depends(get_db)):
    digest = hasher.hash(payload.password)  # recall: PAR602
    created = await create_user(db, payload.username, digest, payload.email)
    return created
