# Recall site: Iryna9310/PC_HW_05_ISIN main.py (get_exchange_rates), awaits the PrivatBank rates of each of the last N days one after the other and builds one dict per day.
import asyncio
import sys
from datetime import datetime, timedelta

import aiohttp


async def rates_for(day):
    address = f"https://api.privatbank.ua/p24api/exchange_rates?json&date={day}"
    async with aiohttp.ClientSession() as session:
        async with session.get(address) as reply:
            return await reply.json()


async def get_exchange_rates(days):
    now = datetime.today()
    collected = []
    for back in range(days):  # recall: PAR203
        day = (now - timedelta(days=back)).strftime("%d.%m.%Y")
        body = await rates_for(day)
        collected.append({day: {
            "EUR": {
                "sale": body["exchangeRate"][0]["saleRate"],
                "purchase": body["exchangeRate"][0]["purchaseRate"],
            },
            "USD": {
                "sale": body["exchangeRate"][1]["saleRate"],
                "purchase": body["exchangeRate"][1]["purchaseRate"],
            },
        }})
    return collected


async def main():
    if len(sys.argv) != 2:
        print("usage: main.py <days>")
        return
    days = int(sys.argv[1])
    if days > 10:
        print("at most 10 days")
        return
    print(await get_exchange_rates(days))


if __name__ == "__main__":
    asyncio.run(main())
