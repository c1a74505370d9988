# Recall site: sceliphronic/TelegramParser bot.py (start handler), an aiogram handler calls weather() from the project's main.py, which scrapes a forecast page with requests.get.
from aiogram import Bot, Dispatcher, executor, types
from config import token
from main import weather

bot = Bot(token=token)
dp = Dispatcher(bot)


@dp.message_handler(commands="start")
async def start(message: types.Message):
    await message.reply(weather())  # recall: PAR601

if __name__ == '__main__':
    executor.start_polling(dp)
