# Recall site: javedmomin99/Weather-API API.py (module level), queries OpenWeatherMap for twenty cities, printing the temperature when the answer is 200 and the status code otherwise.
import requests

owm_key = "<owm key>"

cities = [
    "Lima",
    "Nairobi",
    "Osaka",
    "Perth",
    "Vienna",
    "Quito",
    "Hanoi",
    "Zurich",
]

for name in cities:  # recall: PAR201
    link = f"https://api.openweathermap.org/data/2.5/weather?q={name}&appid={owm_key}&units=metric"

    resp = requests.get(link)

    if resp.status_code == 200:
        info = resp.json()
        label = info["name"]
        temp = info["main"]["temp"]
        detail = info["weather"][0]["description"]
        print(f"{label}: {temp:.1f} C, {detail}")
    else:
        print(f"Could not get the weather for {name}:", resp.status_code)
